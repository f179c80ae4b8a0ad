package io.busflow.data.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of one output, written apart (in parallel) in a hidden directory beside the target and published
 * together, so that nothing partial is ever visible at the target: joined in order into one file
 * ({@link #join}: a temporary sibling filled with {@link FileChannel#transferTo}, moved onto the target
 * atomically), or moved into place as a directory of parts ({@link #publishDirectory}). Blocking file I/O.
 */
public final class PartFiles {

  private PartFiles() {}

  /**
   * Creates the hidden directory the parts of {@code target} are written in, beside it; when they are to be
   * {@code joined} into one file, fails first if the target is a directory (so that no work is done for an
   * output that cannot be written).
   */
  public static Path createDirectory(Path target, boolean joined) {
    Path abs = target.toAbsolutePath();
    if (joined) {
      refuseDirectory(target, abs);
    }
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw DataException.of(DataException.Kind.NOT_FOUND, target, "cannot write " + target
          + ": the output directory " + dir + " does not exist; create it or choose another output path", null);
    }
    Path parts = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".parts");
    try {
      return Files.createDirectory(parts);
    } catch (IOException e) {
      throw OutputFile.failure(target, dir, e);
    }
  }

  /** The name of part {@code index} of a target named like {@code target}: {@code part-00003.csv}. */
  public static String partName(Path target, int index) {
    String name = String.valueOf(target.getFileName());
    int dot = name.lastIndexOf('.');
    return String.format(java.util.Locale.ROOT, "part-%05d%s", index, dot > 0 ? name.substring(dot) : "");
  }

  /**
   * Moves the one part {@code part} onto {@code target} at once (into it, by {@link #join}, when the target is
   * there and not a regular file, such as a device).
   */
  public static void publish(Path part, Path target) {
    Path abs = target.toAbsolutePath();
    refuseDirectory(target, abs);
    if (Files.exists(abs) && !Files.isRegularFile(abs)) {
      join(List.of(part), target);
      return;
    }
    try {
      Files.move(part, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw OutputFile.failure(target, abs.getParent(), e);
    }
  }

  /**
   * Writes {@code parts}, in order, into {@code target} all or nothing. The first part becomes the joined file (it
   * is moved, not copied) and the others are copied after it at once, each at its offset, on up to as many threads
   * as there are cores (the calling thread among them); the joined file is then moved onto the target atomically.
   * Into a target that is there and not a regular file (a device), the parts are written one after another.
   */
  public static void join(List<Path> parts, Path target) {
    Path abs = target.toAbsolutePath();
    refuseDirectory(target, abs);
    if (Files.exists(abs) && !Files.isRegularFile(abs)) {
      try (FileChannel out = FileChannel.open(abs, StandardOpenOption.WRITE)) {
        for (Path part : parts) {
          copy(part, out);
        }
      } catch (IOException e) {
        throw OutputFile.failure(target, abs.getParent(), e);
      }
      return;
    }
    Path temp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
        .nextLong()) + ".tmp");
    try {
      Files.move(parts.get(0), temp, StandardCopyOption.ATOMIC_MOVE);
      long[] at = new long[parts.size()]; // where each part starts in the joined file
      for (int i = 1; i < parts.size(); i++) {
        at[i] = at[i - 1] + Files.size(i == 1 ? temp : parts.get(i - 1));
      }
      copyAfter(parts, at, temp);
      Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw OutputFile.failure(target, abs.getParent(), e);
    }
  }

  /** Copies parts 1 … n − 1 into {@code joined} at their offsets {@code at}, a stripe of parts per thread. */
  private static void copyAfter(List<Path> parts, long[] at, Path joined) throws IOException {
    int threads = Math.max(1, Math.min(parts.size() - 1, Runtime.getRuntime().availableProcessors()));
    List<CompletableFuture<Void>> stripes = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      int stripe = t;
      stripes.add(CompletableFuture.runAsync(() -> copyStripe(parts, at, joined, stripe, threads),
          ForkJoinPool.commonPool()));
    }
    stripes.add(CompletableFuture.runAsync(() -> copyStripe(parts, at, joined, 0, threads), Runnable::run));
    try {
      CompletableFuture.allOf(stripes.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static void copyStripe(List<Path> parts, long[] at, Path joined, int stripe, int stride) {
    try (FileChannel out = FileChannel.open(joined, StandardOpenOption.WRITE)) {
      for (int i = 1 + stripe; i < parts.size(); i += stride) {
        out.position(at[i]);
        copy(parts.get(i), out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void refuseDirectory(Path target, Path abs) {
    if (Files.isDirectory(abs)) {
      throw DataException.of(DataException.Kind.BAD_DATA, target, "cannot write " + target
          + ": it is a directory; name a file inside it, or set output.parts to write a directory of parts", null);
    }
  }

  /** Copies {@code part} whole to {@code out} at its position (a file-channel transfer). */
  private static void copy(Path part, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
      long size = in.size();
      for (long at = 0; at < size; ) {
        at += in.transferTo(at, size - at, out);
      }
    }
  }

  /**
   * Moves the directory of parts {@code parts} onto {@code target}; a file or directory already there (an
   * earlier run's) is moved aside first and deleted after, so that the target is never a mix of two runs.
   */
  public static void publishDirectory(Path parts, Path target) {
    Path abs = target.toAbsolutePath();
    Path old = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
        .nextLong()) + ".old");
    try {
      boolean replacing = Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (replacing) {
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(parts, abs, StandardCopyOption.ATOMIC_MOVE);
      if (replacing) {
        deleteQuietly(old);
      }
    } catch (IOException e) {
      throw OutputFile.failure(target, abs.getParent(), e);
    }
  }

  /** Deletes {@code path} and, when it is a directory, everything in it; never throws. */
  public static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a stray hidden file or directory is all that remains; the target is untouched
    }
  }
}
