package io.busflow.data.io;

import io.busflow.data.Batch;
import io.busflow.data.RowOrigin;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds batches row by row straight into column arrays, and keeps the row accounting of a reader.
 *
 * <p>A row is written at position {@link #rowsInBatch()} column by column; {@link #acceptRow()} keeps it,
 * {@link #reject} drops it (the next row overwrites the same position), so a bad row costs no copy.
 * Invariant: {@code rowsRead == rowsPassed + rowsRejected} after every accepted or rejected row. A batch is full
 * at {@link ReadOptions#batchSize} rows — fewer for a wide file, so that a batch has at most
 * {@value ReadOptions#MAX_BATCH_CELLS} cells (rows × columns) —, or once the text its rows keep reaches
 * {@link ReadOptions#maxRecordChars} characters: rows of long texts, or many columns, make shorter batches rather
 * than a batch no heap holds.
 */
final class BatchAssembler {

  private final Path file;
  private final Schema schema;
  private final int batchSize;
  private final BadRowPolicy policy;
  private final List<Rejection> rejections = new ArrayList<>();
  private final Object[] arrays;
  /** The line each row of the batch being built starts on. */
  private final long[] lines;
  private int rows;
  private long batchIndex;
  private long rowsRead;
  private long rowsPassed;
  private long rowsRejected;

  private final int maxFieldChars;
  private final MissingTokens missing;
  /** The text a batch may keep, in characters. */
  private final long maxBatchChars;
  /** The characters of text the current row keeps, and the accepted rows of the batch. */
  private long rowChars;
  private long batchChars;

  BatchAssembler(Path file, Schema schema, ReadOptions options) {
    this.maxFieldChars = options.maxFieldChars();
    this.maxBatchChars = options.maxRecordChars();
    this.missing = MissingTokens.of(options.missing());
    this.file = file;
    this.schema = schema;
    this.batchSize = (int) Math.min(options.batchSize(), Math.max(1, ReadOptions.MAX_BATCH_CELLS / Math.max(1,
        schema.size())));
    this.policy = options.badRows();
    this.arrays = new Object[schema.size()];
    this.lines = new long[batchSize];
    allocate();
  }

  Schema schema() {
    return schema;
  }

  int rowsInBatch() {
    return rows;
  }

  boolean isFull() {
    return rows == batchSize || batchChars >= maxBatchChars;
  }

  /**
   * Sets column {@code col} of the current row from CSV text; returns false after rejecting the row
   * (SKIP), throws under FAIL.
   */
  boolean setText(int col, String text, long line) {
    if (missing.matches(text)) {
      setMissing(col);
      return true;
    }
    if (text.length() > maxFieldChars) {
      return rejectLong(line, col, text);
    }
    Object array = arrays[col];
    if (array instanceof double[]) {
      return setNumberText((double[]) array, col, text, line);
    }
    if (array instanceof String[]) {
      ((String[]) array)[rows] = text.isEmpty() ? null : text;
      rowChars += text.length();
      return true;
    }
    return setBooleanText((byte[]) array, col, text, line);
  }

  private boolean setNumberText(double[] values, int col, String text, long line) {
    if (text.isEmpty()) {
      values[rows] = Double.NaN;
      return true;
    }
    double v = Values.parseNumber(text);
    if (v == Values.NOT_A_NUMBER) {
      return reject(line, col, text, "is not a number");
    }
    values[rows] = v;
    return true;
  }

  private boolean setBooleanText(byte[] values, int col, String text, long line) {
    byte b = Values.parseBoolean(text);
    if (b == -2) {
      return reject(line, col, text, "is not a boolean (true/false)");
    }
    values[rows] = b;
    return true;
  }

  void setNumber(int col, double value) {
    ((double[]) arrays[col])[rows] = value;
  }

  /** Sets a text value; a value over the field limit rejects the row (see {@link #setText}). */
  boolean setString(int col, String value, long line) {
    if (missing.matches(value)) {
      setMissing(col);
      return true;
    }
    if (value.length() > maxFieldChars) {
      return rejectLong(line, col, value);
    }
    ((String[]) arrays[col])[rows] = value;
    rowChars += value.length();
    return true;
  }

  private boolean rejectLong(long line, int col, String text) {
    String name = schema.field(col).name();
    return rejectRow(line, name, text, "column '" + name + "': a field of " + text.length()
        + " characters is longer than the limit of " + maxFieldChars + " (maxFieldChars)",
        "shorten or drop the value, raise the source's maxFieldChars, or use badRows=skip");
  }

  void setBoolean(int col, boolean value) {
    ((byte[]) arrays[col])[rows] = value ? (byte) 1 : 0;
  }

  /** Marks every column of the current row missing (JSON rows may leave columns out). */
  void clearRow() {
    for (int c = 0; c < arrays.length; c++) {
      setMissing(c);
    }
  }

  void setMissing(int col) {
    Object array = arrays[col];
    if (array instanceof double[]) {
      ((double[]) array)[rows] = Double.NaN;
    } else if (array instanceof String[]) {
      ((String[]) array)[rows] = null;
    } else {
      ((byte[]) array)[rows] = BooleanColumn.MISSING;
    }
  }

  /**
   * Counts the row about to be set, which starts on {@code line}, as read; it must end in {@link #acceptRow()}
   * or a rejection.
   */
  void beginRow(long line) {
    rowsRead++;
    lines[rows] = line;
    rowChars = 0;
  }

  void acceptRow() {
    rows++;
    rowsPassed++;
    batchChars += rowChars;
  }

  /** Whether {@code text} is one of the source's missing-value texts ({@link ReadOptions#withMissing}). */
  boolean isMissing(String text) {
    return missing.matches(text);
  }

  /** Rejects the current row for a value of column {@code col}. */
  boolean reject(long line, int col, String value, String problem) {
    String name = schema.field(col).name();
    String reason = "column '" + name + "': " + Values.quoted(value) + " " + problem;
    return rejectRow(line, name, value, reason, remedyFor(col));
  }

  private String remedyFor(int col) {
    return schema.field(col).type() == ColumnType.STRING ? "use badRows=skip"
        : "declare the column as string, list the value in the read option 'missing' if it stands for a missing "
        + "value, or use badRows=skip";
  }

  /**
   * Rejects the current row and counts it: under FAIL throws a {@link DataException} with the reason and
   * remedy, under SKIP keeps the first {@link BatchReader#MAX_KEPT_REJECTIONS} and returns false.
   */
  boolean rejectRow(long line, String column, String value, String reason, String remedy) {
    rowsRejected++;
    if (policy == BadRowPolicy.FAIL) {
      throw DataException.badData(file, line, column, Values.shortened(value),
          fileName() + " line " + line + ", " + reason + " (" + remedy + ")");
    }
    if (rejections.size() < BatchReader.MAX_KEPT_REJECTIONS) {
      rejections.add(new Rejection(line, reason));
    }
    return false;
  }

  String fileName() {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /** The rows built so far as the next batch, or {@code null} when there are none. */
  Batch takeBatch() {
    if (rows == 0) {
      return null;
    }
    List<Column> columns = new ArrayList<>(arrays.length);
    for (int c = 0; c < arrays.length; c++) {
      columns.add(column(schema.field(c).name(), arrays[c]));
    }
    Batch batch = new Batch(batchIndex++, rowsPassed - rows, rows, columns, RowOrigin.of(fileName(), lines, rows));
    allocate();
    return batch;
  }

  /** A batch of no rows with this schema's columns. */
  Batch emptyBatch() {
    List<Column> columns = new ArrayList<>(arrays.length);
    for (int c = 0; c < arrays.length; c++) {
      columns.add(column(schema.field(c).name(), arrays[c]));
    }
    return new Batch(0, 0, 0, columns);
  }

  private Column column(String name, Object array) {
    boolean whole = rows == batchSize;
    if (array instanceof double[]) {
      double[] values = (double[]) array;
      return new NumericColumn(name, whole ? values : Arrays.copyOf(values, rows));
    }
    if (array instanceof String[]) {
      String[] values = (String[]) array;
      return new StringColumn(name, whole ? values : Arrays.copyOf(values, rows));
    }
    byte[] values = (byte[]) array;
    return new BooleanColumn(name, whole ? values : Arrays.copyOf(values, rows));
  }

  private void allocate() {
    for (int c = 0; c < arrays.length; c++) {
      arrays[c] = newArray(schema.field(c).type());
    }
    rows = 0;
    batchChars = 0;
  }

  private Object newArray(ColumnType type) {
    switch (type) {
      case NUMERIC:
        return new double[batchSize];
      case BOOLEAN:
        return new byte[batchSize];
      default:
        return new String[batchSize];
    }
  }

  long rowsRead() {
    return rowsRead;
  }

  long rowsPassed() {
    return rowsPassed;
  }

  long rowsRejected() {
    return rowsRejected;
  }

  List<Rejection> rejections() {
    return List.copyOf(rejections);
  }
}
