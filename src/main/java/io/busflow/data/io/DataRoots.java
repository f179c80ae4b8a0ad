package io.busflow.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confines user-given paths to configured root directories: one instance for the data that may be read,
 * another for where output may go.
 *
 * <p>Guarantees: a resolved path is inside a root after following every symbolic link
 * ({@link Path#toRealPath}); a value with a {@code ..} segment is refused outright, an absolute value is
 * accepted only when it lies inside a root, and a symbolic link leading out of a root is refused. Relative
 * values are tried against the roots in order. Refusals are {@link DataException}s of kind
 * {@code FORBIDDEN} naming the value and the roots, e.g. {@code '../etc/passwd' is outside the data roots
 * [data, target/bench]; put the file under one of them}. Roots that do not exist (yet) hold nothing;
 * writing a bare file name creates the first root when it is missing.
 *
 * <p>An existing file to read must be a regular file: a directory, a named pipe (FIFO), a device or a socket
 * is refused at once as {@code BAD_DATA} naming the path, so that no reader ever blocks on one.
 *
 * <p>Paths are shown to users as the configuration names them ({@link #display(Path)}): the root as
 * configured plus the path inside it ({@code data/out/x.csv}). {@link #redact(String)} rewrites a message
 * that holds the absolute path of a relative root known to this JVM in the same way, so that with relative
 * roots (the shipped configuration) no error or report shows where the server keeps its files.
 */
public final class DataRoots {

  private final String description;
  private final List<Path> roots;

  /**
   * @param description what the roots are called in messages, e.g. {@code "data roots"}
   * @param roots the directories, relative ones against the working directory, in lookup order
   */
  public DataRoots(String description, List<Path> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException(description + ": at least one root directory is needed");
    }
    this.description = description;
    this.roots = List.copyOf(roots);
    roots.forEach(DataRoots::remember);
  }

  public List<Path> roots() {
    return roots;
  }

  /**
   * The real path of the existing file {@code source} names, under the first root that has it.
   *
   * @throws DataException FORBIDDEN when the value leads out of the roots, NOT_FOUND when no root has it
   */
  public Path resolveExisting(String source) {
    Path relative = parse(source);
    for (Path candidate : candidates(relative)) {
      if (Files.exists(candidate)) {
        return regularFile(source, inside(source, realPath(source, candidate)));
      }
    }
    throw DataException.of(DataException.Kind.NOT_FOUND, null, quote(source) + " was not found under the "
        + description + " " + roots + "; put the file under one of them", null);
  }

  /**
   * Where to write {@code target}: under the first root whose directory for it exists, the real path of
   * that directory plus the file name. An existing target that is a link out of the roots is refused.
   *
   * @throws DataException FORBIDDEN when the value leads out of the roots, NOT_FOUND when no root has its
   *     directory
   */
  public Path resolveForWrite(String target) {
    Path relative = parse(target);
    if (relative.getFileName() == null) {
      throw forbidden(target);
    }
    createMissingRoot(relative);
    for (Path candidate : candidates(relative)) {
      Path parent = candidate.toAbsolutePath().getParent();
      if (parent != null && Files.isDirectory(parent)) {
        Path resolved = inside(target, realPath(target, parent)).resolve(candidate.getFileName());
        if (Files.isSymbolicLink(resolved)) {
          inside(target, realPath(target, resolved));
        }
        return resolved;
      }
    }
    throw DataException.of(DataException.Kind.NOT_FOUND, null, "the directory for " + quote(target)
        + " does not exist under the " + description + " " + roots + "; create it first", null);
  }

  /**
   * How a source asked for as {@code asked} and found at {@code resolved} is shown in summaries and reports: as
   * asked when that is a path inside the roots ({@code churn.csv}, as a pipeline file names it), as
   * {@link #display} shows it when it was asked for by its absolute path (as the command line passes a path
   * it was given relative to the working directory).
   */
  public String shown(String asked, Path resolved) {
    return Path.of(asked).isAbsolute() ? display(resolved) : asked;
  }

  /**
   * How {@code path} is shown to users: as the configuration names the root that holds it, plus the path
   * inside that root ({@code data/out/x.csv}); a path under no root is shown by its file name alone.
   */
  public String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    for (Path root : roots) {
      Path real = realOrNull(root);
      for (Path base : real == null ? List.of(absolute(root)) : List.of(real, absolute(root))) {
        if (abs.startsWith(base)) {
          return root.normalize().resolve(base.relativize(abs)).toString();
        }
      }
    }
    Path name = abs.getFileName();
    return name == null ? abs.toString() : name.toString();
  }

  /**
   * {@code message} with the absolute (and real) path of every root known to this JVM replaced by the root
   * as the configuration names it, so that a relative root never shows where the server keeps its files.
   */
  public static String redact(String message) {
    if (message == null) {
      return null;
    }
    String out = message;
    List<Map.Entry<String, String>> known = new ArrayList<>(KNOWN.entrySet());
    known.sort((a, b) -> b.getKey().length() - a.getKey().length());
    for (Map.Entry<String, String> e : known) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Absolute and real forms of the relative root directories seen by this JVM, mapped to their names. */
  private static final Map<String, String> KNOWN = new ConcurrentHashMap<>();

  private static void remember(Path root) {
    if (root.isAbsolute()) {
      return;
    }
    String name = root.normalize().toString();
    KNOWN.putIfAbsent(absolute(root).toString(), name);
    Path real = realOrNull(root);
    if (real != null) {
      KNOWN.putIfAbsent(real.toString(), name);
    }
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static Path realOrNull(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  private Path regularFile(String value, Path real) {
    if (Files.isRegularFile(real)) {
      return real;
    }
    String what = Files.isDirectory(real) ? "a directory" : "not a regular file (a named pipe, device or socket)";
    throw DataException.of(DataException.Kind.BAD_DATA, null, quote(value) + " is " + what
        + "; name a regular data file under the " + description + " " + roots, null);
  }

  /**
   * A bare file name is written into the first root; when that root does not exist yet (a fresh checkout
   * has no {@code data/out}), it is created, as an output directory a user configured is meant to exist.
   */
  private void createMissingRoot(Path relative) {
    Path first = roots.get(0);
    if (relative.isAbsolute() || relative.getNameCount() != 1 || Files.exists(first)) {
      return;
    }
    try {
      Files.createDirectories(first);
      remember(first);
    } catch (IOException e) {
      // then no root holds the directory: resolveForWrite says so, naming the roots
    }
  }

  private Path parse(String value) {
    if (value == null || value.isBlank()) {
      throw DataException.of(DataException.Kind.BAD_DATA, null, "no file named; give a path under the "
          + description + " " + roots, null);
    }
    Path p;
    try {
      p = Path.of(value);
    } catch (InvalidPathException e) {
      throw DataException.of(DataException.Kind.BAD_DATA, null, quote(value) + " is not a valid path ("
          + e.getReason() + "); give a path under the " + description + " " + roots, e);
    }
    for (Path part : p) {
      if (part.toString().equals("..")) {
        throw forbidden(value);
      }
    }
    return p;
  }

  private List<Path> candidates(Path value) {
    if (value.isAbsolute()) {
      return List.of(value.normalize());
    }
    List<Path> out = new ArrayList<>(roots.size());
    for (Path root : roots) {
      out.add(root.resolve(value).normalize());
    }
    return out;
  }

  /** {@code real} when it lies under the real path of some root; refused otherwise. */
  private Path inside(String value, Path real) {
    for (Path root : roots) {
      if (Files.isDirectory(root) && real.startsWith(realPath(value, root))) {
        return real;
      }
    }
    throw forbidden(value);
  }

  private static Path realPath(String value, Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw DataException.of(DataException.Kind.NOT_FOUND, p, "cannot resolve " + quote(value) + " ("
          + p + "): " + e.getMessage() + "; check that it exists and is readable", e);
    }
  }

  private DataException forbidden(String value) {
    return DataException.of(DataException.Kind.FORBIDDEN, null, quote(value) + " is outside the "
        + description + " " + roots + "; put the file under one of them", null);
  }

  private static String quote(String value) {
    return "'" + value + "'";
  }

  @Override
  public String toString() {
    return description + " " + roots;
  }
}
