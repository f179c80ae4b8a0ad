package io.busflow.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, as {@link java.io.BufferedReader#readLine} splits them (at {@code \n}, {@code \r\n} or
 * {@code \r}), each kept only up to a bound: a longer line is read to its end without being kept, and given as
 * {@link #tooLong()}, so that one huge line costs its bound in memory, not its length.
 */
final class BoundedLines implements Closeable {

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[1 << 16];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int end;
  /** After a {@code \r}: a {@code \n} right after it ends the same line. */
  private boolean skipLf;
  private boolean tooLong;
  private long length;

  BoundedLines(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /**
   * The next line without its line break, or null at the end of the text; the empty string for a line longer than
   * the bound ({@link #tooLong()}).
   */
  String next() throws IOException {
    line.setLength(0);
    tooLong = false;
    length = 0;
    boolean any = false;
    while (true) {
      if (pos == end && !fill()) {
        return any ? done() : null;
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
        pos++;
      }
      int n = pos - start;
      any |= n > 0;
      length += n;
      if (!tooLong && length > maxChars) {
        tooLong = true;
        line.setLength(0);
      } else if (!tooLong) {
        line.append(buf, start, n);
      }
      if (pos < end) {
        skipLf = buf[pos++] == '\r';
        return done();
      }
    }
  }

  /** Whether the last line {@link #next} gave was longer than the bound. */
  boolean tooLong() {
    return tooLong;
  }

  /** The characters of the last line {@link #next} gave, kept or not. */
  long length() {
    return length;
  }

  private String done() {
    return tooLong ? "" : line.toString();
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    pos = 0;
    end = Math.max(n, 0);
    return n > 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
