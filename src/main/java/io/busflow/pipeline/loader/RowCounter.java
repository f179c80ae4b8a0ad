package io.busflow.pipeline.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Estimates a file's data rows for progress reports, cheaply: files up to {@value #SAMPLE_BYTES} bytes
 * have their line breaks counted; larger ones are measured by the mean line length of their first
 * {@value #SAMPLE_BYTES} bytes. Blocking.
 */
final class RowCounter {

  static final int SAMPLE_BYTES = 1 << 20;

  private RowCounter() {}

  /** About the lines in the file (a last line without a break counts), less one when it has a header. */
  static long estimate(Path file, boolean header) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      byte[] sample = new byte[(int) Math.min(size, SAMPLE_BYTES)];
      ByteBuffer buf = ByteBuffer.wrap(sample);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // fill the sample
      }
      long lines = 0;
      for (int i = 0; i < buf.position(); i++) {
        lines += sample[i] == '\n' ? 1 : 0;
      }
      if (size > sample.length) {
        lines = lines == 0 ? 1 : Math.round(size * (double) lines / buf.position());
      } else if (buf.position() > 0 && sample[buf.position() - 1] != '\n') {
        lines++;
      }
      return Math.max(0, header ? lines - 1 : lines);
    }
  }
}
