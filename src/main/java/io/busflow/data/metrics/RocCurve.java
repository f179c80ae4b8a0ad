package io.busflow.data.metrics;

import io.busflow.data.Column;
import java.util.Arrays;
import java.util.Map;

/**
 * A binary ROC curve as scikit-learn's {@code roc_curve} (default {@code drop_intermediate=True}) draws it:
 * from (0, 0) at an infinite threshold (scikit-learn ≥ 1.3; 1.2 writes max + 1) to (1, 1), one point per
 * corner of the curve, thresholds decreasing.
 *
 * @param fpr        false-positive rates
 * @param tpr        true-positive rates
 * @param thresholds the score at or above which a row is predicted positive; the first is +∞
 * @param auc        the trapezoidal area under the whole curve ({@code roc_auc_score}), also after thinning
 * @param points     how many points the whole curve has (more than {@code fpr.length} once thinned)
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds, double auc, int points) {

  /** The curve of {@code scores} (higher means the greater class, the positive one) against the true labels. */
  public static RocCurve of(Column yTrue, double[] scores) {
    BinaryCounts c = BinaryCounts.of(yTrue, scores);
    int[] keep = corners(c);
    int n = keep.length + 1;
    double[] fpr = new double[n];
    double[] tpr = new double[n];
    double[] th = new double[n];
    th[0] = Double.POSITIVE_INFINITY;
    double negatives = c.fps()[c.size() - 1];
    double positives = c.tps()[c.size() - 1];
    for (int i = 1; i < n; i++) {
      fpr[i] = c.fps()[keep[i - 1]] / negatives;
      tpr[i] = c.tps()[keep[i - 1]] / positives;
      th[i] = c.thresholds()[keep[i - 1]];
    }
    return new RocCurve(fpr, tpr, th, trapezoid(fpr, tpr), n);
  }

  /** The indices scikit-learn keeps: the ends, and every point where fps or tps changes slope. */
  private static int[] corners(BinaryCounts c) {
    int n = c.size();
    if (n <= 2) {
      return indices(n);
    }
    int[] keep = new int[n];
    int k = 0;
    keep[k++] = 0;
    for (int i = 1; i < n - 1; i++) {
      if (bends(c.fps(), i) || bends(c.tps(), i)) {
        keep[k++] = i;
      }
    }
    keep[k++] = n - 1;
    return Arrays.copyOf(keep, k);
  }

  private static boolean bends(double[] a, int i) {
    return (a[i + 1] - a[i]) - (a[i] - a[i - 1]) != 0;
  }

  private static int[] indices(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** numpy's {@code trapz(y, x)}. */
  static double trapezoid(double[] x, double[] y) {
    double s = 0;
    for (int i = 1; i < x.length; i++) {
      s += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    }
    return s;
  }

  /** At most {@code max} points ({@link Thinning#evenly}), the first and last kept; {@code auc} unchanged. */
  public RocCurve thinned(int max) {
    int[] idx = Thinning.evenly(fpr.length, max);
    return new RocCurve(Thinning.pick(fpr, idx), Thinning.pick(tpr, idx), Thinning.pick(thresholds, idx), auc,
        points);
  }

  /**
   * JSON-shaped: {@code {"auc":…,"points":N,"fpr":[…],"tpr":[…],"thresholds":[null,…]}}, an infinite
   * threshold as null.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Curves.ordered();
    m.put("auc", auc);
    m.put("points", points);
    m.put("fpr", Curves.list(fpr));
    m.put("tpr", Curves.list(tpr));
    m.put("thresholds", Curves.list(thresholds));
    return m;
  }
}
