package io.busflow.data.metrics;

import java.util.Arrays;
import java.util.Map;

/**
 * What a predicted-vs-actual plot and a residual plot need: a bounded sample of (actual, predicted) pairs
 * and a summary of all residuals ({@code actual − predicted}).
 *
 * @param rows      how many pairs there were in all
 * @param actual    the actual values of the sampled rows (rows {@link Thinning#evenly} spaced in input order)
 * @param predicted the predictions of the same rows
 * @param residuals the summary of every residual
 */
public record RegressionDiagnostics(int rows, double[] actual, double[] predicted, Residuals residuals) {

  /** Default bound of the sample. */
  public static final int DEFAULT_SAMPLE = 500;

  /**
   * Summary of residuals: mean, population standard deviation (numpy's {@code std}), minimum, quartiles
   * (numpy's default linear {@code percentile}) and maximum.
   */
  public record Residuals(double mean, double std, double min, double p25, double median, double p75,
      double max) {
  }

  /** The diagnostics of {@code yPred} against {@code yTrue} (same length, no NaN), sampling at most {@code max}. */
  public static RegressionDiagnostics of(double[] yTrue, double[] yPred, int max) {
    int n = yTrue.length;
    if (n == 0 || n != yPred.length) {
      throw new IllegalArgumentException("regression diagnostics: " + n + " actual and " + yPred.length
          + " predicted values; need the same number, at least one");
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = yTrue[i] - yPred[i];
    }
    int[] idx = Thinning.evenly(n, Math.max(2, max));
    return new RegressionDiagnostics(n, Thinning.pick(yTrue, idx), Thinning.pick(yPred, idx), summary(r));
  }

  private static Residuals summary(double[] r) {
    double mean = 0;
    for (double v : r) {
      mean += v;
    }
    mean /= r.length;
    double ss = 0;
    for (double v : r) {
      ss += (v - mean) * (v - mean);
    }
    double[] s = r.clone();
    Arrays.sort(s);
    return new Residuals(mean, Math.sqrt(ss / r.length), s[0], percentile(s, 25), percentile(s, 50),
        percentile(s, 75), s[s.length - 1]);
  }

  /** numpy's default (linear) percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    double pos = q / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * JSON-shaped: {@code {"rows":N,"actual":[…],"predicted":[…],"residuals":{"mean","std","min","p25","median",
   * "p75","max"}}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Curves.ordered();
    m.put("rows", rows);
    m.put("actual", Curves.list(actual));
    m.put("predicted", Curves.list(predicted));
    Map<String, Object> s = Curves.ordered();
    s.put("mean", residuals.mean());
    s.put("std", residuals.std());
    s.put("min", residuals.min());
    s.put("p25", residuals.p25());
    s.put("median", residuals.median());
    s.put("p75", residuals.p75());
    s.put("max", residuals.max());
    m.put("residuals", s);
    return m;
  }
}
