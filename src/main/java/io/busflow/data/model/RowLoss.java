package io.busflow.data.model;

import java.util.concurrent.ForkJoinPool;
import org.ejml.data.DMatrixRMaj;

/**
 * A fit's loss as a sum over its rows, plus a penalty: the rows are cut into fixed blocks of {@link #BLOCK_ROWS}
 * consecutive rows, each block's value, gradient and Hessian are summed row by row on one thread, and the blocks'
 * sums are added in block order. The blocks depend on the row count alone, so the sums have the same bits on
 * any number of threads and whatever their timing; {@code threads} of them run at once (the caller's thread
 * and tasks of the common pool), each taking the next block when it is done with one. Block sums wait to be added
 * in a window of {@link #WINDOW_BYTES} (at least {@code 2 × threads} sums, at most {@value #MOST_WINDOW}; each
 * p + p² numbers), so that a thread the system deschedules for a while does not stop the others a few blocks
 * later. Nothing grows with the rows but the inputs.
 *
 * @param <S> the scratch space of one thread
 */
final class RowLoss<S> implements Newton.Objective {

  /** Rows a block: large enough that a block's work dwarfs handing it out, small enough to balance threads. */
  static final int BLOCK_ROWS = 8192;
  /** The bytes of block sums that may wait to be added (see {@link #window}). */
  static final long WINDOW_BYTES = 8L << 20;
  /** The block sums that may wait to be added at most. */
  static final int MOST_WINDOW = 256;

  /** The loss of a range of rows. */
  interface Rows<S> {
    /** The number of parameters, p. */
    int params();

    /** Scratch space for one thread. */
    S scratch();

    /** The loss of rows {@code from} to {@code to}, added row by row in order. */
    double value(double[] theta, int from, int to, S scratch);

    /**
     * Adds the gradient of rows {@code from} to {@code to} to {@code out[0 … p)} and the upper triangle of their
     * Hessian (row-major, entries (i, j) with j ≥ i) to {@code out[p … p + p²)}, row by row in order.
     */
    void derivatives(double[] theta, int from, int to, double[] out, S scratch);

    /**
     * {@link #derivatives} into {@code out[0 … p + p²)} and {@link #value} into {@code out[p + p²]}, with the same
     * bits as the two apart; one pass over the rows where an implementation can share their scores.
     */
    default void valueAndDerivatives(double[] theta, int from, int to, double[] out, S scratch) {
      derivatives(theta, from, to, out, scratch);
      out[out.length - 1] = value(theta, from, to, scratch);
    }
  }

  private final Rows<S> rows;
  private final int n;
  private final int threads;
  private final Newton.Objective penalty;
  private final int p;

  /** The loss of {@code n} rows on {@code threads} threads at once, plus {@code penalty} (added last). */
  RowLoss(Rows<S> rows, int n, int threads, Newton.Objective penalty) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.rows = rows;
    this.n = n;
    this.threads = Math.min(threads, blocks(n));
    this.penalty = penalty;
    this.p = rows.params();
  }

  /** The number of blocks of {@code n} rows (at least 1). */
  static int blocks(int n) {
    return Math.max(1, (int) ((n + (long) BLOCK_ROWS - 1) / BLOCK_ROWS));
  }

  @Override
  public double value(DMatrixRMaj theta) {
    double[] total = new double[1];
    run(1, total, (from, to, out, s) -> out[0] = rows.value(theta.data, from, to, s));
    return total[0] + penalty.value(theta);
  }

  @Override
  public void derivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
    double[] total = new double[p + p * p];
    run(total.length, total, (from, to, out, s) -> rows.derivatives(theta.data, from, to, out, s));
    unpack(total, theta, g, h);
  }

  /** {@link #value} and {@link #derivatives} in one pass over the rows, with the same bits as the two apart. */
  @Override
  public double valueAndDerivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
    double[] total = new double[p + p * p + 1];
    run(total.length, total, (from, to, out, s) -> rows.valueAndDerivatives(theta.data, from, to, out, s));
    unpack(total, theta, g, h);
    return total[p + p * p] + penalty.value(theta);
  }

  /** The gradient and Hessian of the rows' sums in {@code total}, plus the penalty's, into {@code g} and {@code h}. */
  private void unpack(double[] total, DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
    System.arraycopy(total, 0, g.data, 0, p);
    double[] hd = h.data;
    for (int i = 0; i < p; i++) {
      for (int j = i; j < p; j++) {
        hd[i * p + j] = total[p + i * p + j];
        hd[j * p + i] = total[p + i * p + j];
      }
    }
    DMatrixRMaj gp = new DMatrixRMaj(p, 1);
    DMatrixRMaj hp = new DMatrixRMaj(p, p);
    penalty.derivatives(theta, gp, hp);
    org.ejml.dense.row.CommonOps_DDRM.addEquals(g, gp);
    org.ejml.dense.row.CommonOps_DDRM.addEquals(h, hp);
  }

  /** One block's work: fills {@code out} (zeroed) with the block's sums. */
  private interface Block<S> {
    void sum(int from, int to, double[] out, S scratch);
  }

  /**
   * Sums every block with {@code block} into slots of {@code width} numbers and adds the slots to {@code total}
   * in block order, on {@link #threads} threads.
   */
  private void run(int width, double[] total, Block<S> block) {
    Fold fold = new Fold(blocks(n), window(width, threads), width, total);
    Runnable work = () -> work(fold, block);
    for (int t = 1; t < threads; t++) {
      ForkJoinPool.commonPool().execute(work);
    }
    work.run();
    fold.awaitAll();
  }

  /**
   * How many block sums of {@code width} numbers may wait to be added: as many as {@link #WINDOW_BYTES} holds, at
   * least 2 per thread and at most {@value #MOST_WINDOW}. With only 2 per thread, a thread descheduled for a few
   * milliseconds (on a machine whose cores the collector's or other threads share) held the others back after as
   * many blocks, and the sums ran on one thread at a time for long stretches.
   */
  static int window(int width, int threads) {
    long fits = WINDOW_BYTES / (8L * Math.max(1, width));
    return (int) Math.max(2L * threads, Math.min(MOST_WINDOW, fits));
  }

  /** Takes blocks until none is left; a failure ends the fold (the caller rethrows it). */
  private void work(Fold fold, Block<S> block) {
    try {
      S scratch = null;
      for (int b = fold.claim(); b >= 0; b = fold.claim()) {
        scratch = scratch == null ? rows.scratch() : scratch;
        double[] out = fold.slot(b);
        block.sum(start(b), start(b + 1), out, scratch);
        fold.done(b);
      }
    } catch (Throwable t) {
      fold.fail(t);
    }
  }

  private int start(int b) {
    return (int) Math.min(n, (long) b * BLOCK_ROWS);
  }

  /**
   * The blocks of one sum: hands them out in order, keeps the sums of at most {@code window} of them in a ring of
   * slots, and adds each to the total once every block before it is added.
   */
  private static final class Fold {
    private final int blocks;
    private final double[][] slots;
    private final boolean[] ready;
    private final double[] total;
    private int claimed;
    private int next;
    private Throwable failure;

    Fold(int blocks, int window, int width, double[] total) {
      this.blocks = blocks;
      this.slots = new double[Math.min(window, blocks)][width];
      this.ready = new boolean[blocks];
      this.total = total;
    }

    /** The next block to sum, or -1 when all are handed out or the fold failed. */
    synchronized int claim() {
      return failure != null || claimed == blocks ? -1 : claimed++;
    }

    /** The zeroed slot of block {@code b}, once the block that held it before has been added. */
    synchronized double[] slot(int b) throws InterruptedException {
      while (b >= next + slots.length && failure == null) {
        wait();
      }
      if (failure != null) {
        throw new IllegalStateException("a block of the sum failed", failure);
      }
      double[] s = slots[b % slots.length];
      java.util.Arrays.fill(s, 0.0);
      return s;
    }

    /** Marks block {@code b} summed and adds every summed block that is next in order. */
    synchronized void done(int b) {
      ready[b] = true;
      while (next < blocks && ready[next]) {
        double[] s = slots[next % slots.length];
        for (int i = 0; i < s.length; i++) {
          total[i] += s[i];
        }
        next++;
      }
      notifyAll();
    }

    synchronized void fail(Throwable t) {
      if (failure == null) {
        failure = t;
      }
      notifyAll();
    }

    /** Waits until every block is added; rethrows the first failure. */
    synchronized void awaitAll() {
      boolean interrupted = false;
      while (next < blocks && failure == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
  }
}
