package io.busflow.data.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ContentHash;
import io.busflow.data.NumericColumn;
import io.busflow.data.transform.StateMaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Least squares with an intercept, as scikit-learn's {@code LinearRegression} ({@code alpha = 0}: the
 * minimum-norm solution, by SVD pseudo-inverse) and {@code Ridge(alpha)} ({@code ‖y − Xw − b‖² +
 * alpha·‖w‖²}, by Cholesky). The intercept is not penalized: features and target are centred first, as
 * scikit-learn does. Training holds the N × d matrix in memory twice (8 bytes a cell).
 *
 * <p>State: {@code {"type":"ridge","features":[…],"alpha":1.0,"coef":[…],"intercept":152.1}}; the type is
 * {@code linear} when {@code alpha} is 0 (ordinary least squares), else {@code ridge}.
 */
public final class LinearRegression implements Model {

  private final List<String> features;
  private final double alpha;
  private final double[] coef;
  private final double intercept;
  private final String version;

  /** A model with given parameters. */
  public LinearRegression(List<String> features, double alpha, double[] coef, double intercept) {
    if (coef.length != features.size()) {
      throw new IllegalArgumentException("linear model has " + coef.length + " coefficients but "
          + features.size() + " features " + features);
    }
    this.features = List.copyOf(features);
    this.alpha = alpha;
    this.coef = coef.clone();
    this.intercept = intercept;
    this.version = ContentHash.of(type(), toState());
  }

  /**
   * Fits on a whole feature matrix (numeric, no missing value) and a numeric target; {@code alpha} 0 for
   * ordinary least squares, above 0 for ridge.
   */
  public static LinearRegression fit(Batch features, Column target, double alpha) {
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("ridge alpha must be >= 0, got " + alpha);
    }
    List<String> names = features.columnNames();
    int n = features.rowCount();
    double[][] cols = FeatureMatrix.columns(features, names, null);
    double[] y = target(target, features);
    double[] means = new double[cols.length];
    DMatrixRMaj xc = centred(cols, features, means, names);
    double yMean = mean(y);
    DMatrixRMaj yc = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      yc.data[i] = y[i] - yMean;
    }
    double[] w = alpha == 0 ? leastSquares(xc, yc) : ridge(xc, yc, alpha);
    double b = yMean;
    for (int j = 0; j < w.length; j++) {
      b -= means[j] * w[j];
    }
    return new LinearRegression(names, alpha, w, b);
  }

  private static double[] target(Column target, Batch rows) {
    int n = rows.rowCount();
    if (!(target instanceof NumericColumn t) || t.size() != n) {
      throw new IllegalArgumentException("regression target '" + target.name() + "' must be a numeric column of "
          + n + " rows, got " + target.type() + " of " + target.size());
    }
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(t.get(i))) {
        throw new IllegalArgumentException("target '" + target.name() + "' of " + rows.describeRow(i)
            + " is missing; drop such rows before training");
      }
    }
    return t.values();
  }

  private static DMatrixRMaj centred(double[][] cols, Batch rows, double[] means, List<String> names) {
    int n = rows.rowCount();
    DMatrixRMaj x = FeatureMatrix.design(cols, rows, names);
    int d = cols.length;
    DMatrixRMaj xc = new DMatrixRMaj(n, d);
    for (int j = 0; j < d; j++) {
      means[j] = mean(cols[j]);
      for (int i = 0; i < n; i++) {
        xc.data[i * d + j] = x.data[i * (d + 1) + j] - means[j];
      }
    }
    return xc;
  }

  private static double[] leastSquares(DMatrixRMaj xc, DMatrixRMaj yc) {
    LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.pseudoInverse(true);
    s.setA(xc.copy());
    DMatrixRMaj w = new DMatrixRMaj(xc.numCols, 1);
    s.solve(yc, w);
    return w.data;
  }

  private static double[] ridge(DMatrixRMaj xc, DMatrixRMaj yc, double alpha) {
    int d = xc.numCols;
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    Products.multTransA(xc, xc, a);
    for (int j = 0; j < d; j++) {
      a.add(j, j, alpha);
    }
    DMatrixRMaj rhs = new DMatrixRMaj(d, 1);
    Products.multTransA(xc, yc, rhs);
    LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.chol(d);
    if (!s.setA(a)) {
      throw new IllegalStateException("ridge normal equations are not positive definite (alpha=" + alpha + ")");
    }
    DMatrixRMaj w = new DMatrixRMaj(d, 1);
    s.solve(rhs, w);
    return w.data;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  @Override
  public List<String> featureNames() {
    return features;
  }

  @Override
  public String version() {
    return version;
  }

  public double[] coef() {
    return coef.clone();
  }

  public double intercept() {
    return intercept;
  }

  public double alpha() {
    return alpha;
  }

  /** {@code linear} (alpha 0) or {@code ridge}. */
  public String type() {
    return alpha == 0 ? "linear" : "ridge";
  }

  @Override
  public OutputSchema output() {
    return OutputSchema.regression();
  }

  @Override
  public Predictions predict(Batch batch, String idColumn) {
    double[][] cols = FeatureMatrix.columns(batch, features, idColumn);
    double[] v = LogisticRegression.linear(cols, coef, intercept, batch.rowCount());
    FeatureMatrix.requireNoMissing(v, cols, features, batch);
    List<Column> out = new ArrayList<>(2);
    if (idColumn != null) {
      out.add(batch.column(idColumn));
    }
    out.add(new NumericColumn(Predictions.PREDICTION, v));
    return new Predictions(version, batch.withOnly(out));
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", type());
    s.put("features", new ArrayList<Object>(features));
    s.put("alpha", alpha);
    s.put("coef", StateMaps.toList(coef));
    s.put("intercept", intercept);
    return s;
  }

  /**
   * The model whose {@link #toState()} is {@code state} (type {@code linear} or {@code ridge}; a saved
   * {@code linear} state with an alpha above 0 loads as ridge); fails naming a bad key.
   */
  public static LinearRegression fromState(Map<String, Object> state) {
    if (!"ridge".equals(state.get("type"))) {
      StateMaps.requireType(state, "linear");
    }
    return new LinearRegression(StateMaps.strings(state, "features"), StateMaps.number(state, "alpha", 0.0),
        StateMaps.doubles(state, "coef"), StateMaps.number(state, "intercept"));
  }
}
