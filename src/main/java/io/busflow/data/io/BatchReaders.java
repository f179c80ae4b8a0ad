package io.busflow.data.io;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens the right {@link BatchReader} for a file by its extension: {@code .csv} (comma), {@code .tsv}
 * (tab), {@code .jsonl} and {@code .ndjson} (JSON Lines), in any case. Text must be UTF-8.
 */
public final class BatchReaders {

  private BatchReaders() {
  }

  /**
   * Opens {@code path}, reads its header and inference sample and returns a cursor at its first row.
   *
   * @throws DataException when the file is missing, unreadable, of an unknown kind, or its header or
   *     sample is unusable (for example a 0-byte CSV file, which has no header)
   */
  public static BatchReader open(Path path, ReadOptions options) {
    String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return CsvBatchReader.open(path, options, options.delimiterOr(','));
    }
    if (name.endsWith(".tsv")) {
      return CsvBatchReader.open(path, options, options.delimiterOr('\t'));
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JsonLinesBatchReader.open(path, options);
    }
    throw DataException.of(DataException.Kind.BAD_DATA, path, "cannot tell the format of " + path
        + " from its name; use a .csv, .tsv, .jsonl or .ndjson file", null);
  }

  /** {@link #open(Path, ReadOptions)} with {@link ReadOptions#defaults()}. */
  public static BatchReader open(Path path) {
    return open(path, ReadOptions.defaults());
  }

  /**
   * The whole file as one batch (index 0, first row 0), for small data: memory holds every row. A file
   * without rows gives a batch of no rows with the file's columns.
   */
  public static Batch readAll(Path path, ReadOptions options) {
    try (BatchReader reader = open(path, options)) {
      List<Batch> batches = new ArrayList<>();
      for (Batch b = reader.next(); b != null; b = reader.next()) {
        batches.add(b);
      }
      return concat(reader.schema(), batches);
    }
  }

  private static Batch concat(Schema schema, List<Batch> batches) {
    int rows = 0;
    for (Batch b : batches) {
      rows += b.rowCount();
    }
    List<Column> columns = new ArrayList<>(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      columns.add(concatColumn(schema.field(c), batches, rows));
    }
    return new Batch(0, 0, rows, columns);
  }

  private static Column concatColumn(Schema.Field field, List<Batch> batches, int rows) {
    Object out = field.type() == ColumnType.NUMERIC ? new double[rows]
        : field.type() == ColumnType.BOOLEAN ? new byte[rows] : new String[rows];
    int at = 0;
    for (Batch b : batches) {
      Column col = b.column(field.name());
      System.arraycopy(values(col), 0, out, at, col.size());
      at += col.size();
    }
    if (out instanceof double[]) {
      return new NumericColumn(field.name(), (double[]) out);
    }
    return out instanceof byte[] ? new BooleanColumn(field.name(), (byte[]) out)
        : new StringColumn(field.name(), (String[]) out);
  }

  private static Object values(Column col) {
    if (col instanceof NumericColumn) {
      return ((NumericColumn) col).values();
    }
    return col instanceof BooleanColumn ? ((BooleanColumn) col).values() : ((StringColumn) col).values();
  }
}
