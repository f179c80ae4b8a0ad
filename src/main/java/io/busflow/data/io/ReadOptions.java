package io.busflow.data.io;

import java.util.List;
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
  /** The longest text field read by default: 1 Mi characters. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 1024 * 1024;
  /** The longest record (CSV record, JSON line) read by default: 16 Mi characters. */
  public static final int DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;
  /**
   * The most cells (rows × columns) a batch read has: a file of many columns is read in batches of fewer rows than
   * {@link #batchSize} (4 Mi cells: 32 MB of numbers).
   */
  public static final int MAX_BATCH_CELLS = 4 * 1024 * 1024;
  /** The most {@link #withMaxRecordChars} and {@link #withMaxFieldChars} take: 128 Mi characters. */
  public static final int MAX_RECORD_CHARS = 128 * 1024 * 1024;
  /** The most texts {@link #withMissing} takes. */
  public static final int MAX_MISSING_TOKENS = 100;
  /** The longest text {@link #withMissing} takes. */
  public static final int MAX_MISSING_TOKEN_CHARS = 256;

  private static final ReadOptions DEFAULTS =
      new ReadOptions(null, true, null, DEFAULT_SAMPLE_ROWS, DEFAULT_BATCH_SIZE, BadRowPolicy.FAIL, null,
          DEFAULT_MAX_FIELD_CHARS, 0, List.of());

  /**
   * A piece of a file: the bytes from {@code start} (inclusive) to {@code end} (exclusive), both at the
   * start of a line (0, just after a line feed, or the file's length), whose first line is line
   * {@code firstLine} of the file.
   */
  public record ByteRange(long start, long end, long firstLine) {
    public ByteRange {
      if (start < 0 || end < start || firstLine < 1) {
        throw new IllegalArgumentException("a byte range needs 0 <= start <= end and firstLine >= 1, got "
            + start + ", " + end + ", " + firstLine);
      }
    }
  }

  private final Character delimiter;
  private final boolean header;
  private final Schema schema;
  private final int sampleRows;
  private final int batchSize;
  private final BadRowPolicy badRows;
  private final ByteRange range;
  private final int maxFieldChars;
  /** As set by {@link #withMaxRecordChars}; 0 when it was not. */
  private final int maxRecordChars;
  private final List<String> missing;

  private ReadOptions(Character delimiter, boolean header, Schema schema, int sampleRows, int batchSize,
      BadRowPolicy badRows, ByteRange range, int maxFieldChars, int maxRecordChars, List<String> missing) {
    this.maxFieldChars = maxFieldChars;
    this.maxRecordChars = maxRecordChars;
    this.missing = missing;
    this.delimiter = delimiter;
    this.header = header;
    this.schema = schema;
    this.sampleRows = sampleRows;
    this.batchSize = batchSize;
    this.badRows = badRows;
    this.range = range;
  }

  public static ReadOptions defaults() {
    return DEFAULTS;
  }

  /** The CSV field delimiter; a quote, CR or LF is refused. */
  public ReadOptions withDelimiter(char delimiter) {
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("a CSV delimiter cannot be a quote or a line break");
    }
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows, range,
        maxFieldChars, maxRecordChars, missing);
  }

  /**
   * Whether the first CSV line names the columns (default true). Without a header, columns are named by
   * the declared schema, position by position, or {@code column1}, {@code column2}, … otherwise.
   */
  public ReadOptions withHeader(boolean header) {
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows, range,
        maxFieldChars, maxRecordChars, missing);
  }

  /**
   * Declares column types: each declared column overrides inference by name; a declared name the file
   * lacks is an error. For a CSV file without a header row, the declared schema names the columns by
   * position.
   */
  public ReadOptions withSchema(Schema declared) {
    return new ReadOptions(delimiter, header, Objects.requireNonNull(declared), sampleRows, batchSize,
        badRows, range, maxFieldChars, maxRecordChars, missing);
  }

  /**
   * How many rows inference looks at (at least 1); they are held in memory once, and stop at
   * {@link #maxRecordChars} characters however many this asks for.
   */
  public ReadOptions withSampleRows(int rows) {
    requirePositive("sampleRows", rows);
    return new ReadOptions(delimiter, header, schema, rows, batchSize, badRows, range,
        maxFieldChars, maxRecordChars, missing);
  }

  /** The most rows per batch (at least 1); fewer for a file of many columns ({@link #MAX_BATCH_CELLS}). */
  public ReadOptions withBatchSize(int rows) {
    requirePositive("batchSize", rows);
    return new ReadOptions(delimiter, header, schema, sampleRows, rows, badRows, range,
        maxFieldChars, maxRecordChars, missing);
  }

  public ReadOptions withBadRows(BadRowPolicy policy) {
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, Objects.requireNonNull(policy),
        range, maxFieldChars, maxRecordChars, missing);
  }

  /**
   * Reads only a piece of a CSV or JSON Lines file, so that the pieces of a large file can be read in
   * parallel. Line numbers in errors and rejections are the file's. The header line, when the file has one,
   * belongs to the piece that starts at byte 0; a piece after it has no header line whatever
   * {@link #header()} says (which then only words messages as a whole read does): read it with a schema
   * declaring every column, in file order. {@link SplitPlanner} finds pieces whose boundaries are record ends.
   */
  public ReadOptions withRange(ByteRange piece) {
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows,
        Objects.requireNonNull(piece), maxFieldChars, maxRecordChars, missing);
  }

  /**
   * The longest text field accepted (at least 1; default {@value #DEFAULT_MAX_FIELD_CHARS}); a longer one
   * rejects its row (bad-row policy), naming line, column and limit, so that one huge value cannot become a
   * category level, a feature name or a saved state.
   */
  public ReadOptions withMaxFieldChars(int chars) {
    requirePositive("maxFieldChars", chars);
    requireAtMost("maxFieldChars", chars, MAX_RECORD_CHARS);
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows, range,
        chars, maxRecordChars, missing);
  }

  public int maxFieldChars() {
    return maxFieldChars;
  }

  /**
   * The longest record read, a CSV record or a JSON line, in characters (at least 1, at most
   * {@value #MAX_RECORD_CHARS}; by default {@value #DEFAULT_MAX_RECORD_CHARS}, or {@link #maxFieldChars} when that
   * is longer; a field longer than its record cannot be read). It bounds what one reader holds:
   * the record being parsed, the rows read ahead for inference (which stop at this many characters, however many
   * {@link #sampleRows} asks for) and the text of the batch being filled (which ends at this many characters,
   * however many {@link #batchSize} allows): about three times this in all, whatever the file holds. A longer CSV
   * record stops the read (the parser cannot go on past it); a longer JSON line rejects its row (bad-row policy).
   */
  public ReadOptions withMaxRecordChars(int chars) {
    requirePositive("maxRecordChars", chars);
    requireAtMost("maxRecordChars", chars, MAX_RECORD_CHARS);
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows, range, maxFieldChars, chars,
        missing);
  }

  /** The longest record read (see {@link #withMaxRecordChars}). */
  public int maxRecordChars() {
    return maxRecordChars > 0 ? maxRecordChars : Math.max(DEFAULT_MAX_RECORD_CHARS, maxFieldChars);
  }

  /**
   * Texts read as a missing value in every column, as the empty field is ({@code NA}, {@code ?}, {@code -999}):
   * matched exactly, case and spaces included; in a numeric column a token that is also a number is missing,
   * not that number. In JSON Lines they apply to JSON strings ({@code null} is missing anyway). At most
   * {@value #MAX_MISSING_TOKENS}, each of 1 to {@value #MAX_MISSING_TOKEN_CHARS} characters. Default: none.
   */
  public ReadOptions withMissing(List<String> tokens) {
    MissingProblem p = missingProblem(tokens);
    if (p != null) {
      throw new IllegalArgumentException("missing" + (p.index() < 0 ? "" : "[" + p.index() + "]") + " " + p.problem());
    }
    return new ReadOptions(delimiter, header, schema, sampleRows, batchSize, badRows, range, maxFieldChars,
        maxRecordChars, List.copyOf(tokens));
  }

  /** What is wrong with a list of missing-value texts: the bad one's index (-1: the list) and why. */
  public record MissingProblem(int index, String problem) {}

  /** The first problem of {@code tokens} as {@link #withMissing} takes them, or null when there is none. */
  public static MissingProblem missingProblem(List<String> tokens) {
    if (tokens.size() > MAX_MISSING_TOKENS) {
      return new MissingProblem(-1, "has " + tokens.size() + " values but may have at most " + MAX_MISSING_TOKENS);
    }
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      int n = t == null ? 0 : t.length();
      if (n == 0 || n > MAX_MISSING_TOKEN_CHARS) {
        return new MissingProblem(i, "has " + n + " characters but must have 1 to " + MAX_MISSING_TOKEN_CHARS
            + " (an empty field is a missing value anyway)");
      }
    }
    return null;
  }

  /** The texts read as a missing value besides the empty field (see {@link #withMissing}). */
  public List<String> missing() {
    return missing;
  }

  /** The piece of the file to read, or {@code null} for all of it. */
  public ByteRange range() {
    return range;
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

  private static void requireAtMost(String name, int value, int most) {
    if (value > most) {
      throw new IllegalArgumentException(name + " must be at most " + most + ", got " + value);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
