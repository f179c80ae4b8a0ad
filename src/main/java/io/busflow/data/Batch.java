package io.busflow.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A block of rows held column by column: busflow's unit of data between actors.
 *
 * <p>Guarantees: every column has {@link #rowCount()} rows; column names are unique; a batch and its
 * columns never change after construction, so one instance may be shared between threads and handed from
 * actor to actor inside one JVM. {@link #index()} is the batch's position in its stream (0, 1, 2, …) and
 * {@link #firstRow()} the stream position of its first row, which is what keeps output in input order
 * however batches are scheduled. {@link #origin()}, when the rows were read from a file, names the file and
 * each row's line; every operation here that keeps rows keeps it, and equality ignores it.
 */
public final class Batch {

  private final long index;
  private final long firstRow;
  private final int rowCount;
  private final RowOrigin origin;
  /** Up to this many columns, names are found by a scan instead of a map (no allocation per batch). */
  private static final int SCAN_COLUMNS = 32;

  private final List<Column> columns;
  /** The columns' names in order, where names are found by a scan ({@link #SCAN_COLUMNS} columns or fewer). */
  private final String[] names;
  private final Map<String, Integer> positions;
  /** The wire form, once {@link BatchSerde#encode} made it. */
  private volatile byte[] encoded;

  public Batch(long index, long firstRow, int rowCount, List<Column> columns) {
    this(index, firstRow, rowCount, columns, null);
  }

  /** A batch whose rows came from {@code origin} ({@code null}: unknown), which must describe {@code rowCount} rows. */
  public Batch(long index, long firstRow, int rowCount, List<Column> columns, RowOrigin origin) {
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount must be >= 0, got " + rowCount);
    }
    if (origin != null && origin.rows() != rowCount) {
      throw new IllegalArgumentException("the origin describes " + origin.rows() + " rows but the batch has " + rowCount);
    }
    this.origin = origin;
    this.index = index;
    this.firstRow = firstRow;
    this.rowCount = rowCount;
    this.columns = List.copyOf(columns);
    int n = this.columns.size();
    this.positions = n <= SCAN_COLUMNS ? null : new HashMap<>(n * 4 / 3 + 1);
    this.names = n <= SCAN_COLUMNS ? new String[n] : null;
    for (int j = 0; j < n; j++) {
      Column c = this.columns.get(j);
      if (c.size() != rowCount) {
        throw new IllegalArgumentException(
            "column '" + c.name() + "' has " + c.size() + " rows but the batch has " + rowCount);
      }
      if (names != null) {
        names[j] = c.name();
      }
      boolean repeated = names != null ? scan(c.name(), j) >= 0 : positions.put(c.name(), j) != null;
      if (repeated) {
        throw new IllegalArgumentException("column name '" + c.name() + "' appears twice in one batch");
      }
    }
  }

  byte[] encoded() {
    return encoded;
  }

  void encoded(byte[] bytes) {
    encoded = bytes;
  }

  /**
   * The position of column {@code name} among the first {@code limit} columns, or -1: a walk of the names array
   * (no call per column), comparing the strings' cached hashes before their characters.
   */
  private int scan(String name, int limit) {
    int h = name.hashCode();
    for (int j = 0; j < limit; j++) {
      String other = names[j];
      if (other.hashCode() == h && other.equals(name)) {
        return j;
      }
    }
    return -1;
  }

  /** The position of column {@code name}, or -1. */
  private int position(String name) {
    if (positions == null) {
      return scan(name, columns.size());
    }
    Integer j = positions.get(name);
    return j == null ? -1 : j;
  }

  /** A batch at position 0 of its stream; the row count is taken from the first column (0 when none). */
  public static Batch of(Column... columns) {
    return new Batch(0, 0, columns.length == 0 ? 0 : columns[0].size(), List.of(columns));
  }

  public long index() {
    return index;
  }

  public long firstRow() {
    return firstRow;
  }

  /** Where the rows came from, or {@code null} when they were not read from a file (a request's records). */
  public RowOrigin origin() {
    return origin;
  }

  /** How messages name row {@code row}: {@code "<file> line <n>"} when the origin is known, else its stream position. */
  public String describeRow(int row) {
    return origin != null ? origin.describe(row) : "row " + (firstRow + row);
  }

  /** These rows (same index, position and origin) with other columns of as many rows. */
  public Batch withOnly(List<Column> newColumns) {
    return new Batch(index, firstRow, rowCount, newColumns, origin);
  }

  public int rowCount() {
    return rowCount;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> columnNames() {
    String[] names = new String[columns.size()];
    for (int j = 0; j < names.length; j++) {
      names[j] = columns.get(j).name();
    }
    return List.of(names);
  }

  public boolean has(String name) {
    return position(name) >= 0;
  }

  /** The column called {@code name}; fails naming the columns there are when it is absent. */
  public Column column(String name) {
    int j = position(name);
    if (j < 0) {
      throw new IllegalArgumentException("no column '" + name + "'; the columns are " + columnNames()
          + Names.hint(name, columnNames()));
    }
    return columns.get(j);
  }

  public NumericColumn numeric(String name) {
    return as(name, NumericColumn.class);
  }

  public StringColumn strings(String name) {
    return as(name, StringColumn.class);
  }

  public BooleanColumn booleans(String name) {
    return as(name, BooleanColumn.class);
  }

  private <C extends Column> C as(String name, Class<C> type) {
    Column c = column(name);
    if (!type.isInstance(c)) {
      throw new IllegalArgumentException(
          "column '" + name + "' is " + c.type() + ", not " + type.getSimpleName());
    }
    return type.cast(c);
  }

  /** The same rows at another stream position. */
  public Batch withPosition(long newIndex, long newFirstRow) {
    return new Batch(newIndex, newFirstRow, rowCount, columns, origin);
  }

  /** This batch with {@code extra} appended; a column of the same name is replaced in place. */
  public Batch withColumns(List<Column> extra) {
    List<Column> merged = new ArrayList<>(columns.size() + extra.size());
    merged.addAll(columns);
    for (Column c : extra) {
      int j = position(c.name());
      if (j < 0) {
        j = indexOf(merged, c.name(), columns.size());
      }
      if (j < 0) {
        merged.add(c);
      } else {
        merged.set(j, c);
      }
    }
    return new Batch(index, firstRow, rowCount, merged, origin);
  }

  /** Only the named columns, in the order given. */
  public Batch select(List<String> names) {
    List<Column> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(column(n));
    }
    return new Batch(index, firstRow, rowCount, out, origin);
  }

  /** The position of {@code name} in {@code list} from {@code from} on, or -1. */
  private static int indexOf(List<Column> list, String name, int from) {
    for (int j = from; j < list.size(); j++) {
      if (list.get(j).name().equals(name)) {
        return j;
      }
    }
    return -1;
  }

  /** Every column but the named ones; names that are absent are ignored. */
  public Batch drop(Set<String> names) {
    List<Column> out = new ArrayList<>();
    for (Column c : columns) {
      if (!names.contains(c.name())) {
        out.add(c);
      }
    }
    return new Batch(index, firstRow, rowCount, out, origin);
  }

  /** Rows {@code from} to {@code to} (exclusive), keeping this batch's index. */
  public Batch slice(int from, int to) {
    Objects.checkFromToIndex(from, to, rowCount);
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.slice(from, to));
    }
    return new Batch(index, firstRow + from, to - from, out, origin == null ? null : origin.slice(from, to));
  }

  /** The rows at the given positions, in that order, keeping this batch's index and first row. */
  public Batch selectRows(int[] rows) {
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.select(rows));
    }
    return new Batch(index, firstRow, rows.length, out, origin == null ? null : origin.select(rows));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b
        && index == b.index
        && firstRow == b.firstRow
        && rowCount == b.rowCount
        && columns.equals(b.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, firstRow, rowCount, columns);
  }

  @Override
  public String toString() {
    return "Batch[index=" + index + ", firstRow=" + firstRow + ", rows=" + rowCount + ", columns="
        + columnNames() + "]";
  }

  static void requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a column needs a non-empty name");
    }
  }

}
