package io.busflow.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file written all or nothing: a temporary sibling of the target, moved onto it atomically on
 * commit, deleted on abort. A target that exists and is neither a regular file nor a directory (a device
 * such as {@code /dev/null}, a named pipe) cannot be replaced by a rename and is written directly.
 */
final class OutputFile {

  private final Path target;
  private final Path temp;
  private final OutputStream out;

  private OutputFile(Path target, Path temp, OutputStream out) {
    this.target = target;
    this.temp = temp;
    this.out = out;
  }

  /** Creates the temporary file next to {@code target}, failing with a message naming the remedy. */
  static OutputFile create(Path target) {
    Path abs = target.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      throw DataException.of(DataException.Kind.BAD_DATA, target, "cannot write " + target
          + ": it is a directory; name a file inside it", null);
    }
    if (Files.exists(abs) && !Files.isRegularFile(abs)) {
      return direct(target, abs);
    }
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw DataException.of(DataException.Kind.NOT_FOUND, target, "cannot write " + target
          + ": the output directory " + dir + " does not exist; create it or choose another output path",
          null);
    }
    Path temp = dir.resolve("." + abs.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      return new OutputFile(target, temp, Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw failure(target, dir, e);
    }
  }

  private static OutputFile direct(Path target, Path abs) {
    try {
      return new OutputFile(target, null, Files.newOutputStream(abs, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw failure(target, abs, e);
    }
  }

  Path target() {
    return target;
  }

  OutputStream stream() {
    return out;
  }

  /** Closes the stream and moves the temporary file onto the target. */
  void commit() throws IOException {
    out.close();
    if (temp != null) {
      Files.move(temp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Closes the stream and deletes the temporary file; never throws. */
  void abort() {
    try {
      out.close();
    } catch (IOException e) {
      // the data is being dropped; a failing close changes nothing
    }
    try {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      // a stray hidden .tmp file is all that remains; the target is untouched
    }
  }

  /** The failure to report for {@code e} while writing {@link #target()}. */
  DataException failure(IOException e) {
    return failure(target, temp == null ? target : temp.getParent(), e);
  }

  static DataException failure(Path target, Path where, IOException e) {
    String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
        ? ((FileSystemException) e).getReason() : String.valueOf(e.getMessage());
    if (e instanceof AccessDeniedException || reason.contains("Read-only file system")) {
      return DataException.of(DataException.Kind.FORBIDDEN, target, "cannot write " + target + ": " + where
          + " is not writable (" + reason + "); choose a writable output directory", e);
    }
    if (e instanceof NoSuchFileException) {
      return DataException.of(DataException.Kind.NOT_FOUND, target, "cannot write " + target + ": "
          + reason + " (" + where + "); choose an output directory where files can be created", e);
    }
    if (reason.contains("No space left on device")) {
      return DataException.of(DataException.Kind.IO, target, "cannot write " + target
          + ": no space left on device; free some space or choose another output directory", e);
    }
    return DataException.of(DataException.Kind.IO, target, "cannot write " + target + ": " + reason, e);
  }
}
