package io.busflow.data.io;

import java.nio.file.Path;

/**
 * Bad input or an unusable file: thrown by readers, writers and {@link DataRoots}. Unchecked, because a
 * caller can do nothing at the call site but report it.
 *
 * <p>The message names the place (file, line, column), the value and the remedy, and is fit to show to a
 * user as is. The same facts are available as fields so that a caller can map them to its own protocol:
 * {@link #kind()} says what went wrong in a closed set; {@link #line()} is the 1-based physical line in
 * the file, {@code 0} when no line applies; {@link #column()} and {@link #value()} are {@code null} when
 * they do not apply.
 */
public final class DataException extends RuntimeException {

  /** What went wrong, in a closed set that callers can map to their failure codes. */
  public enum Kind {
    /** The content is malformed or does not fit the schema. */
    BAD_DATA,
    /** The file or directory does not exist. */
    NOT_FOUND,
    /** The path is outside the allowed roots, or the file system refuses access. */
    FORBIDDEN,
    /** Reading or writing failed below the data, for example a full disk. */
    IO
  }

  private final Kind kind;
  private final transient Path file;
  private final long line;
  private final String column;
  private final String value;

  DataException(Kind kind, String message, Path file, long line, String column, String value,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }

  static DataException badData(Path file, long line, String column, String value, String message) {
    return new DataException(Kind.BAD_DATA, message, file, line, column, value, null);
  }

  static DataException of(Kind kind, Path file, String message, Throwable cause) {
    return new DataException(kind, message, file, 0, null, null, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The file concerned, or {@code null}. */
  public Path file() {
    return file;
  }

  /** The 1-based physical line in {@link #file()}, or {@code 0} when no line applies. */
  public long line() {
    return line;
  }

  /** The column concerned, or {@code null}. */
  public String column() {
    return column;
  }

  /** The offending value (shortened when long), or {@code null}. */
  public String value() {
    return value;
  }
}
