package io.busflow.data.io;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the right {@link BatchWriter} for a target by its extension: {@code .csv} (comma), {@code .tsv}
 * (tab), {@code .jsonl} and {@code .ndjson} (JSON Lines), in any case. Output is UTF-8 with LF line ends.
 */
public final class BatchWriters {

  private BatchWriters() {
  }

  /**
   * Creates the temporary file next to {@code target} and returns a writer to it.
   *
   * @throws DataException when the extension is unknown, the output directory is missing or not
   *     writable, or the target is a directory
   */
  public static BatchWriter open(Path target, WriteOptions options) {
    String name = String.valueOf(target.getFileName()).toLowerCase(Locale.ROOT);
    boolean csv = name.endsWith(".csv");
    boolean tsv = name.endsWith(".tsv");
    boolean jsonl = name.endsWith(".jsonl") || name.endsWith(".ndjson");
    if (!csv && !tsv && !jsonl && !isSpecialFile(target)) {
      throw DataException.of(DataException.Kind.BAD_DATA, target, "cannot tell the format to write "
          + target + " in from its name; use a .csv, .tsv, .jsonl or .ndjson file", null);
    }
    OutputFile file = OutputFile.create(target);
    if (jsonl) {
      return new JsonLinesBatchWriter(file, options);
    }
    return new CsvBatchWriter(file, options, options.delimiterOr(tsv ? '\t' : ','));
  }

  /** {@link #open(Path, WriteOptions)} with {@link WriteOptions#defaults()}. */
  public static BatchWriter open(Path target) {
    return open(target, WriteOptions.defaults());
  }

  /** A device or pipe such as {@code /dev/null}: written as CSV whatever its name. */
  private static boolean isSpecialFile(Path target) {
    return java.nio.file.Files.exists(target) && !java.nio.file.Files.isRegularFile(target)
        && !java.nio.file.Files.isDirectory(target);
  }
}
