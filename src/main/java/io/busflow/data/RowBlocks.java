package io.busflow.data;

import java.util.concurrent.Callable;

/**
 * How many contiguous row blocks a model fit splits its rows into to compute its sums (gradient, Hessian,
 * loss) on several threads at once, each block's sum added in block order so that the result depends on
 * the block count only, never on thread timing. 1 (the default) is the one-loop fit.
 *
 * <p>A scope, as {@link Cancellation} is and for the same reason: the fits are reached through the model
 * APIs, which should not all grow an argument for the one caller (a fit session of a partitioned training
 * job) that sets it.
 */
public final class RowBlocks {

  private static final ThreadLocal<Integer> CURRENT = new ThreadLocal<>();

  private RowBlocks() {}

  /** Runs {@code work} on this thread with fits inside it using {@code blocks} row blocks (at least 1). */
  public static <T> T within(int blocks, Callable<T> work) throws Exception {
    if (blocks < 1) {
      throw new IllegalArgumentException("row blocks must be at least 1, got " + blocks);
    }
    return Scoped.with(CURRENT, blocks, work);
  }

  /** The row blocks of the scope this thread runs in; 1 outside any. */
  public static int current() {
    Integer b = CURRENT.get();
    return b == null ? 1 : b;
  }
}
