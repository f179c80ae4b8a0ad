package io.busflow.data.metrics;

import io.busflow.data.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A reliability diagram as scikit-learn's {@code calibration_curve(y, p, n_bins, strategy='uniform')} makes
 * it: [0, 1] cut into {@code nBins} equal bins (edges {@code j/nBins}), a probability equal to an inner
 * edge falling in the lower bin ({@code searchsorted} left); empty bins left out.
 *
 * @param nBins how many bins [0, 1] was cut into
 * @param bins  the non-empty bins, lowest first
 */
public record CalibrationCurve(int nBins, List<Bin> bins) {

  /** scikit-learn's default number of bins. */
  public static final int DEFAULT_BINS = 10;

  /**
   * One bin.
   *
   * @param index            which bin, 0 … nBins−1
   * @param lower            its lower edge
   * @param upper            its upper edge
   * @param meanPredicted    mean predicted probability of its rows ({@code prob_pred})
   * @param fractionPositive fraction of its rows that are positive ({@code prob_true})
   * @param count            how many rows fell in it
   */
  public record Bin(int index, double lower, double upper, double meanPredicted, double fractionPositive,
      long count) {
  }

  public CalibrationCurve {
    bins = List.copyOf(bins);
  }

  /** The curve of positive-class probabilities {@code p} against the true labels. */
  public static CalibrationCurve of(Column yTrue, double[] p, int nBins) {
    boolean[] positive = ClassificationMetrics.positives(yTrue, p);
    double[] sum = new double[nBins];
    double[] hits = new double[nBins];
    long[] count = new long[nBins];
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new IllegalArgumentException("calibration: row " + i + " has probability " + p[i]
            + ", outside [0, 1]");
      }
      int b = bin(p[i], nBins);
      sum[b] += p[i];
      hits[b] += positive[i] ? 1 : 0;
      count[b]++;
    }
    List<Bin> bins = new ArrayList<>();
    for (int b = 0; b < nBins; b++) {
      if (count[b] > 0) {
        bins.add(new Bin(b, edge(b, nBins), edge(b + 1, nBins), sum[b] / count[b], hits[b] / count[b], count[b]));
      }
    }
    return new CalibrationCurve(nBins, bins);
  }

  /** numpy's {@code linspace(0, 1, nBins + 1)[j]}. */
  private static double edge(int j, int nBins) {
    return j == nBins ? 1.0 : j * (1.0 / nBins);
  }

  /** How many inner edges lie strictly below {@code p}. */
  private static int bin(double p, int nBins) {
    int b = 0;
    while (b < nBins - 1 && edge(b + 1, nBins) < p) {
      b++;
    }
    return b;
  }

  /**
   * JSON-shaped: {@code {"nBins":10,"strategy":"uniform","bins":[{"index","lower","upper","meanPredicted",
   * "fractionPositive","count"},…]}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Curves.ordered();
    m.put("nBins", nBins);
    m.put("strategy", "uniform");
    List<Object> out = new ArrayList<>();
    for (Bin b : bins) {
      Map<String, Object> bm = Curves.ordered();
      bm.put("index", b.index());
      bm.put("lower", b.lower());
      bm.put("upper", b.upper());
      bm.put("meanPredicted", b.meanPredicted());
      bm.put("fractionPositive", b.fractionPositive());
      bm.put("count", b.count());
      out.add(bm);
    }
    m.put("bins", out);
    return m;
  }
}
