package io.busflow.data.metrics;

import io.busflow.data.Column;
import java.util.Map;

/**
 * A binary precision-recall curve as scikit-learn's {@code precision_recall_curve} draws it: one point per
 * distinct score, recall decreasing, ending at (recall 0, precision 1); plus scikit-learn's
 * {@code average_precision_score}, {@code Σ (R_n − R_{n−1}) P_n} over the whole curve.
 *
 * @param precision        precision at each point
 * @param recall           recall at each point
 * @param thresholds       the score at or above which a row is predicted positive, increasing; the last
 *                         point's (recall 0, precision 1) is +∞
 * @param averagePrecision average precision of the whole curve, also after thinning
 * @param points           how many points the whole curve has
 */
public record PrecisionRecallCurve(double[] precision, double[] recall, double[] thresholds,
    double averagePrecision, int points) {

  /** The curve of {@code scores} (higher means the greater class, the positive one) against the true labels. */
  public static PrecisionRecallCurve of(Column yTrue, double[] scores) {
    BinaryCounts c = BinaryCounts.of(yTrue, scores);
    int n = c.size();
    double[] p = new double[n + 1];
    double[] r = new double[n + 1];
    double[] th = new double[n + 1];
    double positives = c.tps()[n - 1];
    for (int i = 0; i < n; i++) {
      int k = n - 1 - i;
      double predicted = c.tps()[k] + c.fps()[k];
      p[i] = predicted == 0 ? 0 : c.tps()[k] / predicted;
      r[i] = positives == 0 ? 1 : c.tps()[k] / positives;
      th[i] = c.thresholds()[k];
    }
    p[n] = 1;
    r[n] = 0;
    th[n] = Double.POSITIVE_INFINITY;
    return new PrecisionRecallCurve(p, r, th, average(p, r), n + 1);
  }

  private static double average(double[] p, double[] r) {
    double s = 0;
    for (int i = 0; i + 1 < p.length; i++) {
      s -= (r[i + 1] - r[i]) * p[i];
    }
    return s;
  }

  /** At most {@code max} points ({@link Thinning#evenly}), the first and last kept; AP unchanged. */
  public PrecisionRecallCurve thinned(int max) {
    int[] idx = Thinning.evenly(precision.length, max);
    return new PrecisionRecallCurve(Thinning.pick(precision, idx), Thinning.pick(recall, idx),
        Thinning.pick(thresholds, idx), averagePrecision, points);
  }

  /**
   * JSON-shaped: {@code {"averagePrecision":…,"points":N,"precision":[…],"recall":[…],"thresholds":[…,null]}},
   * an infinite threshold as null.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Curves.ordered();
    m.put("averagePrecision", averagePrecision);
    m.put("points", points);
    m.put("precision", Curves.list(precision));
    m.put("recall", Curves.list(recall));
    m.put("thresholds", Curves.list(thresholds));
    return m;
  }
}
