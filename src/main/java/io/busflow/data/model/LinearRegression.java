package io.busflow.data.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ContentHash;
import io.busflow.data.NumericColumn;
import io.busflow.data.transform.StateMaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import java.util.function.IntFunction;
import org.ejml.UtilEjml;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.linsol.svd.SolvePseudoInverseSvd_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Least squares with an intercept, as scikit-learn's {@code LinearRegression} ({@code alpha = 0}: the
 * minimum-norm solution, by SVD pseudo-inverse) and {@code Ridge(alpha)} ({@code ‖y − Xw − b‖² +
 * alpha·‖w‖²}, by Cholesky). The intercept is not penalized: features and target are centred first, as
 * scikit-learn does. Training reads the feature columns where they are, a block of rows at a time: each block's
 * R factor of {@code [Xc | yc]} (a QR decomposition, on {@link RowBlocks#current()} threads at once) is folded into
 * one in block order ({@link RowBlockQr}), so memory holds a block per thread and the model has the same bits on
 * any number of threads.
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
    return fit(features.columnNames(), FeatureColumns.of(features), features::describeRow, target, alpha);
  }

  /**
   * Fits on feature rows held in place (numeric, no missing value), read where they are, and a numeric target: the
   * same model, to the bit, as {@link #fit(Batch, Column, double)} on the same rows joined.
   */
  public static LinearRegression fit(RowChunks features, Column target, double alpha) {
    return fit(features.columnNames(), FeatureColumns.of(features), features::describeRow, target, alpha);
  }

  private static LinearRegression fit(List<String> names, FeatureColumns cols, IntFunction<String> describe,
      Column target, double alpha) {
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("ridge alpha must be >= 0, got " + alpha);
    }
    double[] y = target(target, cols.rows(), describe);
    cols.requireNoMissing(names, describe);
    double[] means = cols.means();
    double yMean = mean(y);
    DMatrixRMaj r = RowBlockQr.r(cols, means, y, yMean, RowBlocks.current());
    int d = names.size();
    DMatrixRMaj rx = CommonOps_DDRM.extract(r, 0, d, 0, d);
    DMatrixRMaj z = CommonOps_DDRM.extract(r, 0, d, d, d + 1);
    double[] w = alpha == 0 ? leastSquares(rx, z, cols.rows()) : ridge(rx, z, alpha);
    double b = yMean;
    for (int j = 0; j < w.length; j++) {
      b -= means[j] * w[j];
    }
    return new LinearRegression(names, alpha, w, b);
  }

  private static double[] target(Column target, int n, IntFunction<String> describe) {
    if (!(target instanceof NumericColumn t) || t.size() != n) {
      throw new IllegalArgumentException("regression target '" + target.name() + "' must be a numeric column of "
          + n + " rows, got " + target.type() + " of " + target.size());
    }
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(t.get(i))) {
        throw new IllegalArgumentException("target '" + target.name() + "' of " + describe.apply(i)
            + " is missing; drop such rows before training");
      }
    }
    return t.values();
  }

  /**
   * The minimum-norm w of {@code min ‖Xc·w − yc‖}, from the R of [Xc | yc]: {@code pinv(R)·z}, singular values of R
   * (those of Xc) below {@code ε·max(n, d)·σ_max} taken as 0 — the cut a pseudo-inverse of the n × d Xc itself makes.
   */
  private static double[] leastSquares(DMatrixRMaj rx, DMatrixRMaj z, int n) {
    int d = rx.numCols;
    SolvePseudoInverseSvd_DDRM s = new SolvePseudoInverseSvd_DDRM(d, d);
    s.setThreshold(UtilEjml.EPS * Math.max(n, d) / d);
    if (!s.setA(rx.copy())) {
      throw new IllegalStateException("least squares: the singular value decomposition of the features failed");
    }
    DMatrixRMaj w = new DMatrixRMaj(d, 1);
    s.solve(z, w);
    return w.data;
  }

  /** {@code (RᵀR + alpha·I)·w = Rᵀz}: ridge's normal equations, Xcᵀ·Xc being RᵀR, by Cholesky. */
  private static double[] ridge(DMatrixRMaj rx, DMatrixRMaj z, double alpha) {
    int d = rx.numCols;
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(rx, rx, a);
    for (int j = 0; j < d; j++) {
      a.add(j, j, alpha);
    }
    DMatrixRMaj rhs = new DMatrixRMaj(d, 1);
    CommonOps_DDRM.multTransA(rx, z, rhs);
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
