package io.busflow.data.metrics;

import io.busflow.data.Column;
import java.util.Arrays;

/**
 * scikit-learn's {@code _binary_clf_curve}: for each distinct score, highest first, the false and true
 * positives of predicting positive every row scoring at least that much.
 *
 * @param fps        false positives at each threshold (non-decreasing)
 * @param tps        true positives at each threshold (non-decreasing)
 * @param thresholds the distinct scores, decreasing
 */
record BinaryCounts(double[] fps, double[] tps, double[] thresholds) {

  /** The counts of {@code scores} against the true labels (the greater of exactly two classes is positive). */
  static BinaryCounts of(Column yTrue, double[] scores) {
    boolean[] positive = ClassificationMetrics.positives(yTrue, scores);
    int np = 0;
    for (boolean b : positive) {
      np += b ? 1 : 0;
    }
    double[] pos = new double[np];
    double[] neg = new double[positive.length - np];
    for (int i = 0, a = 0, b = 0; i < positive.length; i++) {
      requireNumber(scores[i], i);
      if (positive[i]) {
        pos[a++] = scores[i];
      } else {
        neg[b++] = scores[i];
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    return merge(pos, neg);
  }

  private static void requireNumber(double score, int row) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("binary metrics: the score of row " + row + " is missing (NaN)");
    }
  }

  /** Walks both ascending arrays from their ends, one step per distinct score. */
  private static BinaryCounts merge(double[] pos, double[] neg) {
    int n = pos.length + neg.length;
    double[] fps = new double[n];
    double[] tps = new double[n];
    double[] th = new double[n];
    int i = pos.length - 1;
    int j = neg.length - 1;
    int k = 0;
    double tp = 0;
    double fp = 0;
    while (i >= 0 || j >= 0) {
      double t = Math.max(i >= 0 ? pos[i] : Double.NEGATIVE_INFINITY, j >= 0 ? neg[j] : Double.NEGATIVE_INFINITY);
      for (; i >= 0 && pos[i] == t; i--) {
        tp++;
      }
      for (; j >= 0 && neg[j] == t; j--) {
        fp++;
      }
      fps[k] = fp;
      tps[k] = tp;
      th[k++] = t;
    }
    return new BinaryCounts(Arrays.copyOf(fps, k), Arrays.copyOf(tps, k), Arrays.copyOf(th, k));
  }

  int size() {
    return thresholds.length;
  }
}
