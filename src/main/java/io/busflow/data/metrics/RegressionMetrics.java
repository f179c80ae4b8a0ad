package io.busflow.data.metrics;

import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics with scikit-learn's definitions.
 *
 * @param rmse root mean squared error
 * @param mae  mean absolute error
 * @param r2   {@code 1 − SS_res / SS_tot}; for a constant target 1 when the fit is perfect, else 0
 *             (scikit-learn's {@code force_finite})
 */
public record RegressionMetrics(double rmse, double mae, double r2) {

  /** The metrics of numeric predictions against a numeric target; fails on a missing value. */
  public static RegressionMetrics evaluate(Column yTrue, Column yPred) {
    Labels.requireSameSize(yTrue, yPred);
    return evaluate(values(yTrue), values(yPred));
  }

  /** The metrics of {@code yPred} against {@code yTrue}, of the same length. */
  public static RegressionMetrics evaluate(double[] yTrue, double[] yPred) {
    int n = yTrue.length;
    double mean = 0;
    for (double y : yTrue) {
      mean += y;
    }
    mean /= n;
    double ssRes = 0;
    double ssTot = 0;
    double abs = 0;
    for (int i = 0; i < n; i++) {
      double e = yTrue[i] - yPred[i];
      ssRes += e * e;
      abs += Math.abs(e);
      ssTot += (yTrue[i] - mean) * (yTrue[i] - mean);
    }
    double r2 = ssTot == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1 - ssRes / ssTot;
    return new RegressionMetrics(Math.sqrt(ssRes / n), abs / n, r2);
  }

  private static double[] values(Column c) {
    if (!(c instanceof NumericColumn n)) {
      throw new IllegalArgumentException("regression metrics: column '" + c.name() + "' is " + c.type()
          + ", not numeric");
    }
    for (int i = 0; i < n.size(); i++) {
      if (Double.isNaN(n.get(i))) {
        throw new IllegalArgumentException("regression metrics: column '" + c.name() + "' row " + i
            + " is missing; drop such rows before evaluating");
      }
    }
    return n.values();
  }

  /** JSON-shaped: {@code {"rmse":…,"mae":…,"r2":…}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rmse", rmse);
    m.put("mae", mae);
    m.put("r2", r2);
    return m;
  }
}
