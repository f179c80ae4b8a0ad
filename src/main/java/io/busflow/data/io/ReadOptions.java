package io.busflow.data.io;

import java.util.Objects;

/**
 * How to read a data file. Immutable: each {@code withX} returns a changed copy. Defaults: comma
 * delimiter for {@code .csv} and tab for {@code .tsv} (unless one is set), a header row, schema inferred
 * from the first {@value #DEFAULT_SAMPLE_ROWS} rows, batches of {@value #DEFAULT_BATCH_SIZE} rows,
 * {@link BadRowPolicy#FAIL}.
 */
public final class ReadOptions {

  public static final int DEFAULT_SAMPLE_ROWS = 1000;
  public static final int DEFAULT_BATCH_SIZE = 10_000;

  private static final ReadOptions DEFAULTS =
      new ReadOptions(null, true, null, DEFAULT_SAMPLE_ROWS, DEFAULT_BATCH_SIZE, BadRowPolicy.FAIL);

  private final Character delimiter;
  private final boolean header;
  private final Schema schema;
  private final int sampleRows;
  private final int batchSize;
  private final BadRowPolicy badRows;

  private ReadOptions(Character delimiter, boolean header, Schema schema, int sampleRows, int batchSize,
      BadRowPolicy badRows) {
    this.delimiter = delimiter;
    this.header = header;
    this.schema = schema;
    this.sampleRows = sampleRows;
    this.batchSize = batchSize;
    this.badRows = badRows;
  }

  public static ReadOptions defaults() {
    return DEFAULTS;
  }

  /** The CSV field delimiter; a quote, CR or LF is refused. */
  public ReadOptions withDelimiter(char delimiter) {
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("a CSV delimiter cannot be a quote or a line break");
    }
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows);
  }

  /**
   * Whether the first CSV line names the columns (default true). Without a header, columns are named by
   * the declared schema, position by position, or {@code column1}, {@code column2}, … otherwise.
   */
  public ReadOptions withHeader(boolean header) {
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows);
  }

  /**
   * Declares column types: each declared column overrides inference by name; a declared name the file
   * lacks is an error. For a CSV file without a header row, the declared schema names the columns by
   * position.
   */
  public ReadOptions withSchema(Schema declared) {
    return new ReadOptions(delimiter, header, Objects.requireNonNull(declared), sampleRows, batchSize,
        badRows);
  }

  /** How many rows inference looks at (at least 1); they are held in memory once. */
  public ReadOptions withSampleRows(int rows) {
    requirePositive("sampleRows", rows);
    return new ReadOptions(delimiter, header, schema, rows, batchSize, badRows);
  }

  /** The most rows per batch (at least 1). */
  public ReadOptions withBatchSize(int rows) {
    requirePositive("batchSize", rows);
    return new ReadOptions(delimiter, header, schema, sampleRows, rows, badRows);
  }

  public ReadOptions withBadRows(BadRowPolicy policy) {
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, Objects.requireNonNull(policy));
  }

  /** The delimiter set, or {@code fallback} when none was. */
  public char delimiterOr(char fallback) {
    return delimiter == null ? fallback : delimiter;
  }

  public boolean header() {
    return header;
  }

  /** The declared schema, or {@code null} when every type is inferred. */
  public Schema schema() {
    return schema;
  }

  public int sampleRows() {
    return sampleRows;
  }

  public int batchSize() {
    return batchSize;
  }

  public BadRowPolicy badRows() {
    return badRows;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
