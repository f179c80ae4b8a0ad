package io.busflow.data;

import java.util.concurrent.Callable;

/**
 * How many threads a model fit computes its sums (loss, gradient, Hessian) on at once. The rows are cut into
 * fixed blocks by their count alone and the blocks' sums are added in block order, so the fitted model has
 * the same bits on any number of threads and whatever their timing; 1 (the default) sums every block on the
 * fit's own thread.
 *
 * <p>A scope, as {@link Cancellation} is and for the same reason: the fits are reached through the model
 * APIs, which should not all grow an argument for the one caller (a fit session of a partitioned training
 * job) that sets it.
 */
public final class RowBlocks {

  private static final ThreadLocal<Integer> CURRENT = new ThreadLocal<>();

  private RowBlocks() {}

  /** Runs {@code work} on this thread with fits inside it summing on {@code blocks} threads at once (at least 1). */
  public static <T> T within(int blocks, Callable<T> work) throws Exception {
    if (blocks < 1) {
      throw new IllegalArgumentException("row blocks must be at least 1, got " + blocks);
    }
    return Scoped.with(CURRENT, blocks, work);
  }

  /** The threads at once of the scope this thread runs in; 1 outside any. */
  public static int current() {
    Integer b = CURRENT.get();
    return b == null ? 1 : b;
  }
}
