package io.busflow.data.metrics;

/** Keeping a bounded number of points of a long curve or sample. */
final class Thinning {

  private Thinning() {
  }

  /**
   * The indices of the points kept out of {@code n} when at most {@code max} (≥ 2) may stay: all of them when
   * {@code n ≤ max}, else {@code round(i·(n−1)/(max−1))} for i = 0…max−1 — evenly spaced along the curve's
   * order, the first and the last point always kept.
   */
  static int[] evenly(int n, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("thinning keeps at least 2 points, asked for " + max);
    }
    int m = Math.min(n, max);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = n <= max ? i : (int) Math.round(i * (double) (n - 1) / (max - 1));
    }
    return out;
  }

  /** The values of {@code a} at {@code idx}. */
  static double[] pick(double[] a, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }
}
