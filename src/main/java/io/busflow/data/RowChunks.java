package io.busflow.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Rows of one schema held where they were kept: runs of consecutive rows, run {@code r} holding rows
 * {@link #start}(r) … {@link #start}(r + 1) of the whole in one array per column from {@link #offset}(r) on (a
 * {@code double[]} for a numeric column, a {@code byte[]} for a boolean one, a {@code String[]} for text; runs may
 * share arrays). What a model's fit session keeps: a fit can read the rows in place, run by run, instead of first
 * copying every column into one array of all rows ({@link #join}).
 *
 * <p>Guarantees: the rows are in the order the runs were given; {@link #select} and the readers never copy rows;
 * {@link #column} and {@link #join} copy in run order, so the joined rows are exactly those read in place. The arrays
 * are shared, not copied: whoever builds one hands them over and changes them no more.
 */
public final class RowChunks {

  private final List<String> names;
  private final ColumnType[] types;
  private final int[] starts;
  private final int[] offsets;
  /** Per run, per column: the array holding the run's rows. Emptied column by column by {@link #join}. */
  private final Object[][] arrays;
  private final RowOrigin origin;

  /**
   * Rows in {@code arrays.length} runs: {@code arrays[r][c]} holds column {@code c}'s values of run {@code r} from
   * {@code offsets[r]} on, for {@code rows[r]} rows. {@code origin} (null: unknown) describes every row in order.
   */
  public RowChunks(List<String> names, Object[][] arrays, int[] offsets, int[] rows, RowOrigin origin) {
    if (arrays.length != offsets.length || arrays.length != rows.length) {
      throw new IllegalArgumentException("runs: " + arrays.length + " arrays, " + offsets.length + " offsets and "
          + rows.length + " row counts");
    }
    this.names = List.copyOf(names);
    this.types = new ColumnType[names.size()];
    this.starts = new int[arrays.length + 1];
    for (int r = 0; r < arrays.length; r++) {
      if (arrays[r].length != names.size()) {
        throw new IllegalArgumentException("run " + r + " has " + arrays[r].length + " columns, not " + names.size());
      }
      for (int c = 0; c < names.size(); c++) {
        ColumnType t = typeOf(arrays[r][c], names.get(c));
        if (types[c] != null && types[c] != t) {
          throw new IllegalArgumentException("column '" + names.get(c) + "' is " + types[c] + " in one run and " + t
              + " in another");
        }
        types[c] = t;
        if (offsets[r] < 0 || rows[r] < 0
            || (long) offsets[r] + rows[r] > java.lang.reflect.Array.getLength(arrays[r][c])) {
          throw new IllegalArgumentException("run " + r + " of column '" + names.get(c) + "': rows " + offsets[r]
              + " … " + ((long) offsets[r] + rows[r]) + " are not all in its array");
        }
      }
      starts[r + 1] = Math.addExact(starts[r], rows[r]);
    }
    if (origin != null && origin.rows() != starts[arrays.length]) {
      throw new IllegalArgumentException("the origin describes " + origin.rows() + " rows but there are "
          + starts[arrays.length]);
    }
    this.offsets = offsets.clone();
    this.arrays = arrays;
    this.origin = origin;
  }

  private RowChunks(List<String> names, ColumnType[] types, int[] starts, int[] offsets, Object[][] arrays,
      RowOrigin origin) {
    this.names = names;
    this.types = types;
    this.starts = starts;
    this.offsets = offsets;
    this.arrays = arrays;
    this.origin = origin;
  }

  private static ColumnType typeOf(Object values, String name) {
    if (values instanceof double[]) {
      return ColumnType.NUMERIC;
    }
    if (values instanceof byte[]) {
      return ColumnType.BOOLEAN;
    }
    if (values instanceof String[]) {
      return ColumnType.STRING;
    }
    throw new IllegalArgumentException("column '" + name + "' is held in a " + (values == null ? "null"
        : values.getClass().getSimpleName()) + "; expected double[], byte[] or String[]");
  }

  /** Every row, in order. */
  public int rowCount() {
    return starts[starts.length - 1];
  }

  public List<String> columnNames() {
    return names;
  }

  public boolean has(String name) {
    return names.contains(name);
  }

  /** The type of column {@code name}; fails when there is none. */
  public ColumnType type(String name) {
    return types[position(name)];
  }

  /** The number of runs. */
  public int runs() {
    return arrays.length;
  }

  /** The first row of run {@code r} in the whole ({@code r} = {@link #runs()}: the row count). */
  public int start(int r) {
    return starts[r];
  }

  /** Where run {@code r}'s first row is in its arrays. */
  public int offset(int r) {
    return offsets[r];
  }

  /** The run holding row {@code row} (0 ≤ row < {@link #rowCount()}); never a run of no rows. */
  public int runOf(int row) {
    int lo = 0;
    int hi = arrays.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The array holding run {@code r} of numeric column {@code c} (by position); fails for another type. */
  public double[] numeric(int r, int c) {
    if (types[c] != ColumnType.NUMERIC) {
      throw new IllegalArgumentException("column '" + names.get(c) + "' is " + types[c] + ", not numeric");
    }
    return (double[]) arrays[r][c];
  }

  /** Where row {@code row} came from, as {@link Batch#describeRow} says it. */
  public String describeRow(int row) {
    return origin != null ? origin.describe(row) : "row " + row;
  }

  /** The same rows with only the columns named, in that order (no copy); fails naming one that is not here. */
  public RowChunks select(List<String> keep) {
    int[] at = new int[keep.size()];
    ColumnType[] t = new ColumnType[keep.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = position(keep.get(i));
      t[i] = types[at[i]];
    }
    Object[][] a = new Object[arrays.length][keep.size()];
    for (int r = 0; r < arrays.length; r++) {
      for (int i = 0; i < at.length; i++) {
        a[r][i] = arrays[r][at[i]];
      }
    }
    return new RowChunks(List.copyOf(keep), t, starts, offsets, a, origin);
  }

  /** Column {@code name} with every row, copied in run order into one array. */
  public Column column(String name) {
    int c = position(name);
    Object out = newArray(types[c], rowCount());
    for (int r = 0; r < arrays.length; r++) {
      System.arraycopy(arrays[r][c], offsets[r], out, starts[r], starts[r + 1] - starts[r]);
    }
    return column(names.get(c), out);
  }

  /**
   * Every row as one batch (index 0, first row 0, the origin of the rows), each column copied on {@code threads}
   * threads at once (this one and tasks of the common pool). Lets go of each column's arrays here once it is
   * copied, so that memory holds these rows and one joined column besides; afterwards this holds no column values
   * (only a new {@link #select} of nothing, or {@link #rowCount}, may be asked).
   */
  public Batch join(int threads) {
    int[] parts = parts(Math.max(1, threads));
    List<Column> columns = new ArrayList<>(names.size());
    for (int c = 0; c < names.size(); c++) {
      Object out = newArray(types[c], rowCount());
      copy(parts, c, out);
      for (Object[] run : arrays) {
        run[c] = null;
      }
      columns.add(column(names.get(c), out));
    }
    return new Batch(0, 0, rowCount(), columns, origin);
  }

  /** The first run of each of {@code threads} parts of about as many rows, and the end. */
  private int[] parts(int threads) {
    int runs = arrays.length;
    int[] parts = new int[threads + 1];
    for (int t = 1; t < threads; t++) {
      long row = (long) rowCount() * t / threads;
      int i = parts[t - 1];
      while (i < runs && starts[i] < row) {
        i++;
      }
      parts[t] = i;
    }
    parts[threads] = runs;
    return parts;
  }

  /** Copies column {@code c} into {@code out}, each part on its own thread (the last on this one). */
  private void copy(int[] parts, int c, Object out) {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int t = 0; t + 1 < parts.length - 1; t++) {
      int from = parts[t];
      int to = parts[t + 1];
      running.add(CompletableFuture.runAsync(() -> copy(from, to, c, out), ForkJoinPool.commonPool()));
    }
    copy(parts[parts.length - 2], parts[parts.length - 1], c, out);
    running.forEach(CompletableFuture::join);
  }

  private void copy(int from, int to, int c, Object out) {
    for (int r = from; r < to; r++) {
      System.arraycopy(arrays[r][c], offsets[r], out, starts[r], starts[r + 1] - starts[r]);
    }
  }

  private int position(String name) {
    int c = names.indexOf(name);
    if (c < 0) {
      throw new IllegalArgumentException("no column '" + name + "'; columns are " + names);
    }
    return c;
  }

  private static Object newArray(ColumnType type, int n) {
    return switch (type) {
      case NUMERIC -> new double[n];
      case BOOLEAN -> new byte[n];
      case STRING -> new String[n];
    };
  }

  private static Column column(String name, Object values) {
    if (values instanceof double[] d) {
      return new NumericColumn(name, d);
    }
    return values instanceof byte[] y ? new BooleanColumn(name, y) : new StringColumn(name, (String[]) values);
  }
}
