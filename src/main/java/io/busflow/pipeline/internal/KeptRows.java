package io.busflow.pipeline.internal;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.RowOrigin;
import io.busflow.data.RowChunks;
import io.busflow.data.StringColumn;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Batches of one schema kept for a fit, their rows copied as they come into a few large arrays per column (up to
 * {@value #MOST_ROWS} rows each: arrays the G1 collector allocates outside its young generation, as its regions
 * are at most 4 MiB for heaps below 16 GB, and never copies, where the batches' own small arrays would be copied by
 * young collections while they live; each array's bytes a power of two, so that it fills whole regions), and
 * handed over at the end as {@link RowChunks} in batch-index order, the order {@link Batches#concat} joins them
 * in: read in place by a fit that can, or joined column by column into one batch. Confined to one thread at a
 * time, but for {@link #bytes}; a fit fed by many pieces keeps one per piece, filled at once, and takes them together
 * ({@link #take(Collection)}).
 */
public final class KeptRows {

  /**
   * Rows of the first array of a column at most (a power of two less the two doubles of an array's header); less when
   * the first batch is smaller (the smallest such size that holds it), so that the many small pieces of a partitioned
   * read, a set of arrays each, keep about what they hold.
   */
  static final int FIRST_ROWS = (1 << 14) - 2;
  /** Rows of an array at most (4 MiB of doubles with the header); each next array has twice the rows, up to this. */
  static final int MOST_ROWS = (1 << 19) - 2;

  /** Where a batch's rows are: its place in the source, the chunk holding its rows and where in it. */
  private record Kept(long index, long firstRow, RowOrigin origin, Chunk chunk, int at, int rows) {}

  /** One large array per column and how many of its rows are used. */
  private static final class Chunk {
    private final Object[] columns;
    private final int capacity;
    private int used;

    Chunk(List<Column> like, int capacity) {
      this.capacity = capacity;
      this.columns = new Object[like.size()];
      for (int c = 0; c < columns.length; c++) {
        columns[c] = Array.newInstance(type(like.get(c)), capacity);
      }
    }
  }

  private final List<Kept> kept = new ArrayList<>();
  private List<Column> first;
  private Chunk current;
  private long rows;
  /** The arrays' bytes, and the text's (estimated); read by other threads ({@link #bytes}). */
  private volatile long bytes;

  /** Copies the rows of {@code b} (the columns of the first batch, by name, of the same types). */
  public void add(Batch b) {
    if (first == null) {
      first = b.columns();
    }
    int n = b.rowCount();
    int capacity = newChunk(n);
    if (capacity > 0) {
      current = new Chunk(first, capacity);
      bytes += chunkBytes(first, capacity);
    }
    for (int c = 0; c < first.size(); c++) {
      Column f = first.get(c);
      Column col = b.column(f.name());
      Object values = Batches.values(col, f);
      System.arraycopy(values, 0, current.columns[c], current.used, n);
      if (values instanceof String[] text) {
        bytes += textBytes(text);
      }
    }
    kept.add(new Kept(b.index(), b.firstRow(), b.origin(), current, current.used, n));
    current.used += n;
    rows += n;
  }

  /**
   * What {@link #bytes} will be once {@code b} is added: with the arrays of a new chunk when its rows do not fit the
   * current one, and its text. Asked before adding it, so that a bound can refuse it before the arrays exist.
   */
  public long bytesWith(Batch b) {
    int capacity = newChunk(b.rowCount());
    long more = capacity > 0 ? chunkBytes(first == null ? b.columns() : first, capacity) : 0;
    for (Column c : b.columns()) {
      if (c instanceof StringColumn s) {
        more += textBytes(s.values());
      }
    }
    return bytes + more;
  }

  /** The rows of the chunk to allocate for {@code n} more rows, or 0 when they fit the current one. */
  private int newChunk(int n) {
    if (current != null && current.capacity - current.used >= n) {
      return 0;
    }
    int next = current == null ? Math.min(FIRST_ROWS, wholeArrayRows(n)) : Math.min(MOST_ROWS, 2 * current.capacity + 2);
    return Math.max(n, next);
  }

  /** The fewest rows, at least {@code n} (and 1), of an array of a power of two doubles with its header's two. */
  private static int wholeArrayRows(int n) {
    return Integer.highestOneBit(Math.max(n, 1) + 1) * 2 - 2;
  }

  private static long chunkBytes(List<Column> columns, int capacity) {
    long sum = 0;
    for (Column f : columns) {
      sum += (long) capacity * (f instanceof BooleanColumn ? 1 : 8);
    }
    return sum;
  }

  /** The rows kept so far. */
  public long rows() {
    return rows;
  }

  /**
   * The bytes kept so far: the arrays (8 bytes a row and numeric or text column, 1 a boolean one) and the text
   * values, each counted as a string of its length (distinct strings shared between rows counted each time).
   */
  public long bytes() {
    return bytes;
  }

  private static long textBytes(String[] text) {
    long sum = 0;
    for (String s : text) {
      sum += s == null ? 0 : 40 + s.length();
    }
    return sum;
  }

  /**
   * Every row kept, in place, in batch-index order (then first-row order), with the columns of the first batch:
   * runs of rows that follow each other in the same array are one run; null when none was kept. Hands the arrays
   * over and empties this.
   */
  public RowChunks take() {
    return take(List.of(this));
  }

  /**
   * The rows kept by {@code parts} (the lanes of one fit, each confined to its own thread until now, each kept batch
   * of a schema with the same columns) as {@link #take} gives them, in batch-index order over all parts; null when
   * none kept any. Empties every part.
   */
  public static RowChunks take(Collection<KeptRows> parts) {
    List<Kept> sorted = new ArrayList<>();
    List<String> names = null;
    for (KeptRows part : parts) {
      if (part.kept.isEmpty()) {
        continue;
      }
      List<String> own = part.first.stream().map(Column::name).toList();
      if (names != null && !names.equals(own)) {
        throw new IllegalStateException("kept rows of columns " + own + " beside rows of " + names);
      }
      names = own;
      sorted.addAll(part.kept);
    }
    if (sorted.isEmpty()) {
      return null;
    }
    sorted.sort(Comparator.comparingLong(Kept::index).thenComparingLong(Kept::firstRow));
    List<Object[]> arrays = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    Kept last = null;
    for (Kept k : sorted) {
      int runs = counts.size();
      if (last != null && last.chunk() == k.chunk() && offsets.get(runs - 1) + counts.get(runs - 1) == k.at()) {
        counts.set(runs - 1, counts.get(runs - 1) + k.rows());
      } else {
        arrays.add(k.chunk().columns);
        offsets.add(k.at());
        counts.add(k.rows());
      }
      last = k;
    }
    RowChunks all = new RowChunks(names, arrays.toArray(new Object[0][]),
        offsets.stream().mapToInt(Integer::intValue).toArray(), counts.stream().mapToInt(Integer::intValue).toArray(),
        RowOrigin.concat(sorted.stream().map(Kept::origin).toList()));
    parts.forEach(KeptRows::clear);
    return all;
  }

  /** Lets go of every row kept. */
  public void clear() {
    kept.clear();
    current = null;
    first = null;
    rows = 0;
    bytes = 0;
  }

  private static Class<?> type(Column c) {
    return Batches.values(c, c).getClass().getComponentType();
  }
}
