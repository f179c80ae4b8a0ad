package io.busflow.data.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operating-system lock on an output path, held by one process at a time: the byte of a hidden lock file
 * in the output's directory ({@value #LOCK_FILE}) at an offset derived from the file name is locked
 * exclusively. Two processes on one machine (or on one shared file system that supports POSIX locks) that
 * want to write the same output cannot both hold it; locks on different files never meet. The OS frees
 * the lock when its process dies, so a killed writer leaves nothing stuck. The lock file stays (empty).
 *
 * <p>One channel per lock file is kept open for the life of the JVM: on POSIX systems closing any channel
 * on a file drops every lock the process holds on it. Blocking file I/O: call off event loops.
 */
public final class OutputFileLock {

  /** The hidden lock file in each output directory. */
  public static final String LOCK_FILE = ".busflow-output.lock";

  private static final Map<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();

  private final FileLock lock;

  private OutputFileLock(FileLock lock) {
    this.lock = lock;
  }

  /**
   * The lock of {@code target} (a path whose directory exists), or {@code null} when another process holds
   * it, or this JVM already does. A directory (an output of parts) is locked as a file is. A target that
   * exists and is neither a regular file nor a directory (a device such as
   * {@code /dev/null}, a pipe) is not locked: it is written in place, not replaced.
   *
   * @throws DataException IO when the lock file cannot be opened
   */
  public static OutputFileLock tryLock(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
      return new OutputFileLock(null);
    }
    Path dir = abs.getParent();
    String name = String.valueOf(abs.getFileName());
    try {
      FileLock l = channel(dir).tryLock(offset(name), 1, false);
      return l == null ? null : new OutputFileLock(l);
    } catch (OverlappingFileLockException e) {
      return null;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw DataException.of(DataException.Kind.IO, target, "cannot lock " + target + " for writing: "
          + e.getMessage() + "; check that " + LOCK_FILE + " in its directory can be created", e);
    }
  }

  /** Lets another process write the path; never throws. */
  public void release() {
    try {
      if (lock != null) {
        lock.release();
      }
    } catch (IOException e) {
      // the channel stays open; the region is freed at the latest when the process ends
    }
  }

  private static FileChannel channel(Path dir) {
    return CHANNELS.computeIfAbsent(dir, d -> {
      try {
        return FileChannel.open(d.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** A stable offset for {@code name}: its 64-bit FNV-1a hash, kept positive. */
  static long offset(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    return h & 0x3fffffffffffffffL;
  }
}
