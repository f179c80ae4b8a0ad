package io.busflow.pipeline.internal;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Batches of one schema kept for a fit, their rows copied as they come into a few large arrays per column (up to
 * {@value #MOST_ROWS} rows each: large enough that the collector allocates them outside the young generation
 * and never copies them, where the batches' own small arrays would be copied by every young collection while
 * they live), and joined at the end into one batch in batch-index order, as {@link Batches#concat} joins them.
 * The join copies on several threads at once, each part of the rows apart, and lets go of each large array once
 * its rows are copied: memory holds the result and what is not copied yet. Confined to one thread at a time.
 */
public final class KeptRows {

  /** Rows of the first array of a column; each next one twice as many, up to {@link #MOST_ROWS}. */
  static final int FIRST_ROWS = 16_384;
  static final int MOST_ROWS = 1 << 17;

  /** Where a batch's rows are: its place in the source, the chunk holding its rows and where in it. */
  private record Kept(long index, long firstRow, RowOrigin origin, Chunk chunk, int at, int rows) {}

  /** One large array per column and how many of its rows are used, and not yet copied by a join. */
  private static final class Chunk {
    private Object[] columns;
    private final int capacity;
    private int used;
    private int left;

    Chunk(List<Column> like, int capacity) {
      this.capacity = capacity;
      this.columns = new Object[like.size()];
      for (int c = 0; c < columns.length; c++) {
        columns[c] = java.lang.reflect.Array.newInstance(type(like.get(c)), capacity);
      }
    }

    /** Marks {@code rows} of it copied; lets go of its arrays once every used row is. */
    synchronized void copied(int rows) {
      left -= rows;
      if (left == 0) {
        columns = null;
      }
    }
  }

  private final List<Kept> kept = new ArrayList<>();
  private List<Column> first;
  private Chunk current;
  private long rows;

  /** Copies the rows of {@code b} (the columns of the first batch, by name, of the same types). */
  public void add(Batch b) {
    if (first == null) {
      first = b.columns();
    }
    int n = b.rowCount();
    if (current == null || current.capacity - current.used < n) {
      int next = current == null ? FIRST_ROWS : Math.min(MOST_ROWS, 2 * current.capacity);
      current = new Chunk(first, Math.max(n, next));
    }
    for (int c = 0; c < first.size(); c++) {
      Column f = first.get(c);
      Column col = b.column(f.name());
      System.arraycopy(Batches.values(col, f), 0, current.columns[c], current.used, n);
    }
    kept.add(new Kept(b.index(), b.firstRow(), b.origin(), current, current.used, n));
    current.used += n;
    current.left += n;
    rows += n;
  }

  /** The rows kept so far. */
  public long rows() {
    return rows;
  }

  /**
   * Every row kept as one batch (index 0, first row 0) in batch-index order (then first-row order), with the
   * columns of the first batch; copied on {@code threads} threads at once (this one and tasks of the common
   * pool); null when none was kept. Empties this.
   */
  public Batch drain(int threads) {
    if (kept.isEmpty()) {
      return null;
    }
    List<Kept> sorted = new ArrayList<>(kept);
    sorted.sort(Comparator.comparingLong(Kept::index).thenComparingLong(Kept::firstRow));
    int total = Math.toIntExact(rows);
    Object[] out = new Object[first.size()];
    for (int c = 0; c < out.length; c++) {
      out[c] = java.lang.reflect.Array.newInstance(type(first.get(c)), total);
    }
    copy(sorted, out, Math.max(1, threads));
    List<Column> columns = new ArrayList<>(out.length);
    for (int c = 0; c < out.length; c++) {
      columns.add(Batches.column(first.get(c).name(), out[c]));
    }
    Batch all = new Batch(0, 0, total, columns, RowOrigin.concat(sorted.stream().map(Kept::origin).toList()));
    clear();
    return all;
  }

  /** Copies {@code sorted} into {@code out} in {@code threads} parts of about as many rows each. */
  private void copy(List<Kept> sorted, Object[] out, int threads) {
    int[] starts = new int[sorted.size() + 1];
    for (int i = 0; i < sorted.size(); i++) {
      starts[i + 1] = starts[i] + sorted.get(i).rows();
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    int from = 0;
    for (int t = 1; t <= threads; t++) {
      int to = t == threads ? sorted.size() : firstAtOrAfter(starts, (long) starts[sorted.size()] * t / threads, from);
      int a = from;
      Runnable part = () -> copy(sorted, starts, a, to, out);
      if (t == threads) {
        part.run();
      } else {
        parts.add(CompletableFuture.runAsync(part, ForkJoinPool.commonPool()));
      }
      from = to;
    }
    parts.forEach(CompletableFuture::join);
  }

  /** The first batch at or after {@code from} that starts at or after row {@code row}. */
  private static int firstAtOrAfter(int[] starts, long row, int from) {
    int i = from;
    while (i < starts.length - 1 && starts[i] < row) {
      i++;
    }
    return i;
  }

  private static void copy(List<Kept> sorted, int[] starts, int from, int to, Object[] out) {
    for (int i = from; i < to; i++) {
      Kept k = sorted.get(i);
      for (int c = 0; c < out.length; c++) {
        System.arraycopy(k.chunk().columns[c], k.at(), out[c], starts[i], k.rows());
      }
      k.chunk().copied(k.rows());
    }
  }

  /** Lets go of every row kept. */
  public void clear() {
    kept.clear();
    current = null;
    first = null;
    rows = 0;
  }

  private static Class<?> type(Column c) {
    return Batches.values(c, c).getClass().getComponentType();
  }
}
