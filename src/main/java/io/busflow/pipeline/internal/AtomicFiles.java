package io.busflow.pipeline.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Small text files (reports, saved state) written all or nothing: a temporary sibling renamed on success. */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Writes {@code text} to {@code target} atomically; blocking.
   *
   * @throws java.io.UncheckedIOException naming the path when writing fails; the target is then unchanged
   */
  public static void write(Path target, String text) {
    Path temp = target.resolveSibling("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new java.io.UncheckedIOException("cannot write " + target + ": " + e.getMessage()
          + "; check that its directory exists and is writable", e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to do: the target is unchanged
    }
  }
}
