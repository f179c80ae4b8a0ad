package io.busflow.pipeline.internal;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowOrigin;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Batches of one schema kept for a fit, their rows copied as they come into a few large arrays per column (up to
 * {@value #MOST_ROWS} rows each: arrays the G1 collector allocates outside its young generation, as its regions
 * are at most 4 MiB for heaps below 16 GB, and never copies, where the batches' own small arrays would be copied by
 * young collections while they live; each array's bytes a power of two, so that it fills whole regions), and
 * joined at the end into one batch in batch-index order, as {@link Batches#concat} joins them. The join goes
 * column by column, each column's rows copied in parts on several threads at once, and lets go of a column's
 * large arrays once it is copied: memory holds what is kept and one joined column besides it (the join of whole
 * batches held everything twice). Confined to one thread at a time.
 */
public final class KeptRows {

  /** Rows of the first array of a column (a power of two less the two doubles of an array's header). */
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

  /** Copies the rows of {@code b} (the columns of the first batch, by name, of the same types). */
  public void add(Batch b) {
    if (first == null) {
      first = b.columns();
    }
    int n = b.rowCount();
    if (current == null || current.capacity - current.used < n) {
      int next = current == null ? FIRST_ROWS : Math.min(MOST_ROWS, 2 * current.capacity + 2);
      current = new Chunk(first, Math.max(n, next));
    }
    for (int c = 0; c < first.size(); c++) {
      Column f = first.get(c);
      Column col = b.column(f.name());
      System.arraycopy(Batches.values(col, f), 0, current.columns[c], current.used, n);
    }
    kept.add(new Kept(b.index(), b.firstRow(), b.origin(), current, current.used, n));
    current.used += n;
    rows += n;
  }

  /** The rows kept so far. */
  public long rows() {
    return rows;
  }

  /**
   * Every row kept as one batch (index 0, first row 0) in batch-index order (then first-row order), with the
   * columns of the first batch; each column copied on {@code threads} threads at once (this one and tasks of the
   * common pool); null when none was kept. Empties this.
   */
  public Batch drain(int threads) {
    if (kept.isEmpty()) {
      return null;
    }
    List<Kept> sorted = new ArrayList<>(kept);
    sorted.sort(Comparator.comparingLong(Kept::index).thenComparingLong(Kept::firstRow));
    int[] starts = new int[sorted.size() + 1];
    for (int i = 0; i < sorted.size(); i++) {
      starts[i + 1] = starts[i] + sorted.get(i).rows();
    }
    int[] parts = parts(starts, Math.max(1, threads));
    List<Column> columns = new ArrayList<>(first.size());
    for (int c = 0; c < first.size(); c++) {
      Object out = Array.newInstance(type(first.get(c)), starts[sorted.size()]);
      copy(sorted, starts, parts, c, out);
      for (Kept k : sorted) {
        k.chunk().columns[c] = null;
      }
      columns.add(Batches.column(first.get(c).name(), out));
    }
    Batch all = new Batch(0, 0, starts[sorted.size()], columns,
        RowOrigin.concat(sorted.stream().map(Kept::origin).toList()));
    clear();
    return all;
  }

  /** The first batch of each of {@code threads} parts of about as many rows, and the end. */
  private static int[] parts(int[] starts, int threads) {
    int batches = starts.length - 1;
    int[] parts = new int[threads + 1];
    for (int t = 1; t < threads; t++) {
      long row = (long) starts[batches] * t / threads;
      int i = parts[t - 1];
      while (i < batches && starts[i] < row) {
        i++;
      }
      parts[t] = i;
    }
    parts[threads] = batches;
    return parts;
  }

  /** Copies column {@code c} of {@code sorted} into {@code out}, each part on its own thread (the last on this one). */
  private static void copy(List<Kept> sorted, int[] starts, int[] parts, int c, Object out) {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int t = 0; t + 1 < parts.length - 1; t++) {
      int from = parts[t];
      int to = parts[t + 1];
      running.add(CompletableFuture.runAsync(() -> copy(sorted, starts, from, to, c, out), ForkJoinPool.commonPool()));
    }
    copy(sorted, starts, parts[parts.length - 2], parts[parts.length - 1], c, out);
    running.forEach(CompletableFuture::join);
  }

  private static void copy(List<Kept> sorted, int[] starts, int from, int to, int c, Object out) {
    for (int i = from; i < to; i++) {
      Kept k = sorted.get(i);
      System.arraycopy(k.chunk().columns[c], k.at(), out, starts[i], k.rows());
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
