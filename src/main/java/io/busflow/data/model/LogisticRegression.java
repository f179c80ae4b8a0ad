package io.busflow.data.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ContentHash;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import io.busflow.data.transform.LabelEncoder;
import io.busflow.data.transform.StateMaps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Logistic regression with scikit-learn's L2 objective: {@code C·Σ logloss + ½‖w‖²}, intercepts not
 * penalized (scikit-learn's {@code LogisticRegression(penalty='l2', solver='lbfgs')} minimum).
 *
 * <p>Two classes: one coefficient vector and the sigmoid, fitted by Newton's method (IRLS). More classes:
 * multinomial softmax over all K classes (scikit-learn's lbfgs default), fitted by full Newton with the
 * K·(d+1) square Hessian, so meant for K·d up to a few thousand; intercepts are fixed to sum 0, the
 * solution scikit-learn's lbfgs reaches from zero. Training reads the feature columns where they are (no
 * copy) and adds 12 bytes a row (class code and weight); each Newton step costs O(K²·N·d²), summed row by
 * row over fixed blocks of rows ({@link RowLoss}) on {@link RowBlocks#current()} threads at once, so the
 * model has the same bits on any number of threads.
 *
 * <p>Classes are the sorted distinct labels (as {@link LabelEncoder}). {@code predict} gives the class of
 * highest probability; with two classes, the second class exactly when its probability is at least
 * {@code threshold} (0.5 by default: differs from scikit-learn's {@code z > 0} only when p is exactly 0.5).
 *
 * <p>State: {@code {"type":"logistic","features":[…],"classes":[0.0,1.0],"coef":[…],"intercept":-1.2,
 * "threshold":0.5,"fit":{"C":1.0,"n_iter":7,"converged":true}}}; with more than two classes {@code coef}
 * is a list of K lists and {@code intercept} a list of K numbers; {@code fit} is absent for given
 * parameters.
 */
public final class LogisticRegression implements Model {

  /**
   * Training options.
   *
   * @param c         inverse regularization strength, as scikit-learn's {@code C} (> 0)
   * @param tol       stop when the largest gradient entry of the objective divided by C·Σ weights (C·N
   *                  without class weights; balanced weights sum to N too) is at most this
   * @param maxIter   at most this many Newton steps
   * @param threshold binary decision threshold on the second class's probability
   * @param balanced  whether each row's loss is weighted by scikit-learn's {@code class_weight='balanced'}:
   *                  {@code n_samples / (n_classes · count of the row's class)}
   */
  public record Options(double c, double tol, int maxIter, double threshold, boolean balanced) {
    /** Options without class weights. */
    public Options(double c, double tol, int maxIter, double threshold) {
      this(c, tol, maxIter, threshold, false);
    }

    public Options {
      if (!(c > 0) || !(tol > 0) || maxIter < 1 || !(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("logistic options need C > 0, tol > 0, max_iter >= 1 and "
            + "0 <= threshold <= 1; got C=" + c + ", tol=" + tol + ", max_iter=" + maxIter + ", threshold="
            + threshold);
      }
    }

    /** scikit-learn's defaults: C 1, tol 1e-4, max_iter 100; threshold 0.5. */
    public static Options defaults() {
      return new Options(1.0, 1e-4, 100, 0.5, false);
    }
  }

  /** How fitting went: scikit-learn's C, the number of Newton steps, and whether tol was reached. */
  public record FitInfo(double c, int nIter, boolean converged) {
  }

  private final List<String> features;
  private final LabelEncoder classes;
  private final double[][] coef;
  private final double[] intercept;
  private final double threshold;
  private final FitInfo fit;
  private final String version;

  /**
   * A model with given parameters: for two classes one row of coefficients and one intercept (for the
   * second class), else one row and intercept per class. {@code fit} may be null.
   */
  public LogisticRegression(List<String> features, List<?> classes, double[][] coef, double[] intercept,
      double threshold, FitInfo fit) {
    this.features = List.copyOf(features);
    this.classes = new LabelEncoder(classes);
    this.coef = deepCopy(coef);
    this.intercept = intercept.clone();
    this.threshold = threshold;
    this.fit = fit;
    checkShape();
    this.version = ContentHash.of("logistic", toState());
  }

  /**
   * Fits on a whole feature matrix (numeric columns, no missing value) and its target column.
   * Fails when the target holds fewer than two classes or a missing value.
   */
  public static LogisticRegression fit(Batch features, Column target, Options options) {
    return fit(features.columnNames(), FeatureColumns.of(features), features::describeRow, target, options);
  }

  /**
   * Fits on feature rows held in place (numeric columns, no missing value), read where they are, and their target
   * column: the same model, to the bit, as {@link #fit(Batch, Column, Options)} on the same rows joined.
   */
  public static LogisticRegression fit(RowChunks features, Column target, Options options) {
    return fit(features.columnNames(), FeatureColumns.of(features), features::describeRow, target, options);
  }

  private static LogisticRegression fit(List<String> names, FeatureColumns cols, IntFunction<String> describe,
      Column target, Options options) {
    LabelEncoder enc = LabelEncoder.fit(target);
    if (enc.classes().size() < 2) {
      throw new IllegalArgumentException("training labels hold one class only (" + quoted(enc.classes())
          + "); a classifier needs at least two");
    }
    if (target.size() != cols.rows()) {
      throw new IllegalArgumentException("the target has " + target.size() + " rows but the features have "
          + cols.rows());
    }
    cols.requireNoMissing(names, describe);
    int[] y = enc.encode(target);
    int k = enc.classes().size();
    double[] s = sampleWeights(y, k, options.balanced());
    int d1 = names.size() + 1;
    int threads = RowBlocks.current();
    Newton.Objective f = k == 2
        ? new RowLoss<>(new BinaryLogisticRows(cols, y, s, options.c()), y.length, threads, new Penalty(1, d1))
        : new RowLoss<>(new SoftmaxRows(cols, y, s, k, options.c()), y.length, threads, new Penalty(k, d1));
    return k == 2 ? fitBinary(names, enc, f, d1, s, options) : fitMultinomial(names, enc, f, d1, s, options);
  }

  private static LogisticRegression fitBinary(List<String> names, LabelEncoder enc, Newton.Objective f, int p,
      double[] s, Options o) {
    Newton.Result r = Newton.minimize(f, p, o.c() * sum(s), o.tol(), o.maxIter());
    double[] w = new double[p - 1];
    System.arraycopy(r.theta().data, 0, w, 0, p - 1);
    return new LogisticRegression(names, enc.classes(), new double[][] {w},
        new double[] {r.theta().data[p - 1]}, o.threshold(), new FitInfo(o.c(), r.iterations(), r.converged()));
  }

  private static LogisticRegression fitMultinomial(List<String> names, LabelEncoder enc, Newton.Objective f,
      int p, double[] s, Options o) {
    int k = enc.classes().size();
    Newton.Result r = Newton.minimize(f, k * p, o.c() * sum(s), o.tol(), o.maxIter());
    double[][] w = new double[k][p - 1];
    double[] b = new double[k];
    for (int c = 0; c < k; c++) {
      System.arraycopy(r.theta().data, c * p, w[c], 0, p - 1);
      b[c] = r.theta().data[c * p + p - 1];
    }
    return new LogisticRegression(names, enc.classes(), w, b, o.threshold(),
        new FitInfo(o.c(), r.iterations(), r.converged()));
  }

  /**
   * Each row's weight in the loss: 1, or with {@code balanced} scikit-learn's
   * {@code compute_class_weight('balanced')} of its class, {@code n / (k · bincount(y)[class])}.
   */
  static double[] sampleWeights(int[] y, int k, boolean balanced) {
    double[] s = new double[y.length];
    java.util.Arrays.fill(s, 1.0);
    if (!balanced) {
      return s;
    }
    long[] count = new long[k];
    for (int v : y) {
      count[v]++;
    }
    for (int i = 0; i < y.length; i++) {
      s[i] = (double) y.length / (k * (double) count[y[i]]);
    }
    return s;
  }

  private static double sum(double[] s) {
    double t = 0;
    for (double v : s) {
      t += v;
    }
    return t;
  }

  @Override
  public List<String> featureNames() {
    return features;
  }

  @Override
  public String version() {
    return version;
  }

  /** The classes in probability-column order: {@link Double}s or {@link String}s. */
  public List<Object> classes() {
    return classes.classes();
  }

  @Override
  public OutputSchema output() {
    return OutputSchema.classifier(classes());
  }

  /** The fitting report, or null when the parameters were given. */
  public FitInfo fitInfo() {
    return fit;
  }

  /** Coefficients: one row for two classes, else one per class; columns in {@link #featureNames()} order. */
  public double[][] coef() {
    return deepCopy(coef);
  }

  public double[] intercept() {
    return intercept.clone();
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public Predictions predict(Batch batch, String idColumn) {
    double[][] cols = FeatureMatrix.columns(batch, features, idColumn);
    double[][] z = new double[coef.length][];
    for (int k = 0; k < coef.length; k++) {
      z[k] = linear(cols, coef[k], intercept[k], batch.rowCount());
      FeatureMatrix.requireNoMissing(z[k], cols, features, batch);
    }
    double[][] proba = z.length == 1 ? sigmoid(z[0]) : softmax(z);
    List<Column> out = new ArrayList<>(proba.length + 2);
    if (idColumn != null) {
      out.add(batch.column(idColumn));
    }
    out.add(classes.decode(Predictions.PREDICTION, decide(proba)));
    for (int k = 0; k < proba.length; k++) {
      out.add(new NumericColumn(Predictions.probabilityColumn(LabelEncoder.text(classes().get(k))), proba[k]));
    }
    return new Predictions(version, batch.withOnly(out));
  }

  static double[] linear(double[][] cols, double[] w, double b, int n) {
    double[] z = new double[n];
    java.util.Arrays.fill(z, b);
    for (int j = 0; j < cols.length; j++) {
      double wj = w[j];
      double[] x = cols[j];
      for (int i = 0; i < n; i++) {
        z[i] += wj * x[i];
      }
    }
    return z;
  }

  private static double[][] sigmoid(double[] z) {
    double[] p1 = new double[z.length];
    double[] p0 = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p1[i] = 1.0 / (1.0 + Math.exp(-z[i]));
      p0[i] = 1.0 - p1[i];
    }
    return new double[][] {p0, p1};
  }

  private static double[][] softmax(double[][] z) {
    int n = z[0].length;
    double[] max = z[0].clone();
    for (double[] zk : z) {
      for (int i = 0; i < n; i++) {
        max[i] = Math.max(max[i], zk[i]);
      }
    }
    double[] sum = new double[n];
    double[][] p = new double[z.length][n];
    for (int k = 0; k < z.length; k++) {
      for (int i = 0; i < n; i++) {
        p[k][i] = Math.exp(z[k][i] - max[i]);
        sum[i] += p[k][i];
      }
    }
    for (double[] pk : p) {
      for (int i = 0; i < n; i++) {
        pk[i] /= sum[i];
      }
    }
    return p;
  }

  private int[] decide(double[][] proba) {
    int n = proba[0].length;
    int[] out = new int[n];
    if (proba.length == 2) {
      for (int i = 0; i < n; i++) {
        out[i] = proba[1][i] >= threshold ? 1 : 0;
      }
      return out;
    }
    for (int k = 1; k < proba.length; k++) {
      for (int i = 0; i < n; i++) {
        out[i] = proba[k][i] > proba[out[i]][i] ? k : out[i];
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "logistic");
    s.put("features", new ArrayList<Object>(features));
    s.put("classes", new ArrayList<>(classes.classes()));
    boolean binary = coef.length == 1;
    s.put("coef", binary ? StateMaps.toList(coef[0]) : rows(coef));
    s.put("intercept", binary ? (Object) intercept[0] : StateMaps.toList(intercept));
    s.put("threshold", threshold);
    if (fit != null) {
      Map<String, Object> f = StateMaps.ordered();
      f.put("C", fit.c());
      f.put("n_iter", fit.nIter());
      f.put("converged", fit.converged());
      s.put("fit", f);
    }
    return s;
  }

  /** The model whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static LogisticRegression fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "logistic");
    List<String> features = StateMaps.strings(state, "features");
    List<Object> classes = StateMaps.list(state, "classes");
    boolean binary = classes.size() == 2;
    double[][] coef = binary ? new double[][] {StateMaps.doubles(state, "coef")} : matrix(state, "coef");
    double[] b = binary ? new double[] {StateMaps.number(state, "intercept")} : StateMaps.doubles(state, "intercept");
    FitInfo fit = null;
    if (state.get("fit") != null) {
      Map<String, Object> f = StateMaps.map(state, "fit");
      fit = new FitInfo(StateMaps.number(f, "C"), (int) StateMaps.number(f, "n_iter"),
          StateMaps.bool(f, "converged", false));
    }
    return new LogisticRegression(features, classes, coef, b, StateMaps.number(state, "threshold", 0.5), fit);
  }

  private static double[][] matrix(Map<String, Object> state, String key) {
    List<Object> raw = StateMaps.list(state, key);
    double[][] out = new double[raw.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = StateMaps.asDoubles(raw.get(k), key + "[" + k + "]");
    }
    return out;
  }

  private static List<Object> rows(double[][] m) {
    List<Object> out = new ArrayList<>();
    for (double[] r : m) {
      out.add(StateMaps.toList(r));
    }
    return out;
  }

  private void checkShape() {
    int k = classes.classes().size();
    int rows = k == 2 ? 1 : k;
    if (k < 2 || coef.length != rows || intercept.length != rows) {
      throw new IllegalArgumentException("logistic model with " + k + " classes needs " + rows
          + " coefficient row(s) and intercept(s), got " + coef.length + " and " + intercept.length);
    }
    for (int r = 0; r < rows; r++) {
      if (coef[r].length != features.size()) {
        throw new IllegalArgumentException("logistic coef row " + r + " has " + coef[r].length
            + " values but there are " + features.size() + " features " + features);
      }
    }
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }

  private static String quoted(List<Object> classes) {
    List<String> out = new ArrayList<>();
    classes.forEach(c -> out.add("'" + LabelEncoder.text(c) + "'"));
    return String.join(", ", out);
  }

  /**
   * Adds the upper triangle of {@code x·scaledᵀ} to the square block at row {@code r0}, column {@code c0} of the
   * row-major {@code width}-wide matrix at {@code out[base …]}: entries (i, j) with j ≥ i on the diagonal
   * block ({@code r0 == c0}), all of them off it.
   */
  private static void addOuter(double[] x, double[] scaled, double[] out, int base, int width, int r0, int c0) {
    int p = x.length;
    for (int i = 0; i < p; i++) {
      double v = x[i];
      int at = base + (r0 + i) * width + c0;
      for (int j = r0 == c0 ? i : 0; j < p; j++) {
        out[at + j] += v * scaled[j];
      }
    }
  }

  /**
   * {@code C·Σ s_i·[logsumexp(z_i) − z_{i,y_i}]} over θ = [w_1; b_1; …; w_K; b_K], s the rows' weights, by rows
   * of the feature columns (read {@link #SUB} rows at a time where they are). The scratch holds one row (with its
   * 1), the row times a weight, the row's K scores and probabilities, and the view of the rows.
   */
  private record SoftmaxRows(FeatureColumns cols, int[] y, double[] s, int k, double c)
      implements RowLoss.Rows<SoftmaxRows.Scratch> {

    /** Rows read at a time. */
    static final int SUB = 256;

    record Scratch(double[] x, double[] scaled, double[] prob, FeatureColumns.View view) {}

    @Override
    public int params() {
      return k * (cols.width() + 1);
    }

    @Override
    public Scratch scratch() {
      double[] x = new double[cols.width() + 1];
      x[cols.width()] = 1.0;
      return new Scratch(x, new double[cols.width() + 1], new double[k], cols.view(SUB));
    }

    /** Fills {@code x} with row {@code i} of the view and {@code prob} with its class probabilities. */
    private void probabilities(FeatureColumns.View v, int i, double[] theta, double[] x, double[] prob) {
      int d = cols.width();
      int d1 = d + 1;
      for (int j = 0; j < d; j++) {
        x[j] = v.arrays[j][v.offset + i];
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < k; a++) {
        double z = x[0] * theta[a * d1];
        for (int j = 1; j < d1; j++) {
          z += x[j] * theta[a * d1 + j];
        }
        prob[a] = z;
        max = Math.max(max, z);
      }
      double sum = 0;
      for (int a = 0; a < k; a++) {
        prob[a] = Math.exp(prob[a] - max);
        sum += prob[a];
      }
      for (int a = 0; a < k; a++) {
        prob[a] /= sum;
      }
    }

    @Override
    public double value(double[] theta, int from, int to, Scratch scratch) {
      double loss = 0;
      for (int at = from; at < to; at += SUB) {
        int m = Math.min(SUB, to - at);
        cols.at(at, m, scratch.view());
        for (int i = 0; i < m; i++) {
          probabilities(scratch.view(), i, theta, scratch.x(), scratch.prob());
          loss -= s[at + i] * Math.log(scratch.prob()[y[at + i]]);
        }
      }
      return c * loss;
    }

    @Override
    public void derivatives(double[] theta, int from, int to, double[] out, Scratch scratch) {
      double[] x = scratch.x();
      double[] scaled = scratch.scaled();
      double[] prob = scratch.prob();
      int d1 = x.length;
      int p = k * d1;
      for (int at = from; at < to; at += SUB) {
        int m = Math.min(SUB, to - at);
        cols.at(at, m, scratch.view());
        for (int ii = 0; ii < m; ii++) {
          int i = at + ii;
          probabilities(scratch.view(), ii, theta, x, prob);
          for (int a = 0; a < k; a++) {
            double r = c * s[i] * (prob[a] - (y[i] == a ? 1 : 0));
            for (int j = 0; j < d1; j++) {
              out[a * d1 + j] += x[j] * r;
            }
            for (int b = a; b < k; b++) {
              double wi = c * s[i] * prob[a] * ((a == b ? 1 : 0) - prob[b]);
              for (int j = 0; j < d1; j++) {
                scaled[j] = wi * x[j];
              }
              addOuter(x, scaled, out, p, p, a * d1, b * d1);
            }
          }
        }
      }
    }
  }

  /** The penalty alone (of a {@link RowLoss}): ½‖w‖² per class block, intercepts excluded. */
  private record Penalty(int k, int d1) implements Newton.Objective {
    @Override
    public double value(DMatrixRMaj theta) {
      double pen = 0;
      for (int a = 0; a < k; a++) {
        pen += penalty(theta, a * d1, d1);
      }
      return pen;
    }

    @Override
    public void derivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
      g.zero();
      h.zero();
      if (k == 1) {
        addPenalty(theta, g, h, 0, d1);
      } else {
        addPenalties(theta, g, h, k, d1);
      }
    }
  }

  /** The penalty of the multinomial loss, added to {@code g} and {@code h}. */
  private static void addPenalties(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h, int k, int d1) {
    for (int a = 0; a < k; a++) {
      addPenalty(theta, g, h, a * d1, d1);
      for (int b = 0; b < k; b++) {
        h.add(a * d1 + d1 - 1, b * d1 + d1 - 1, 1.0); // fixes the intercepts' shift: step keeps Σb = 0
      }
    }
  }

  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  /** ½‖w‖² of the block at {@code from} of length {@code len}, its last entry (the intercept) excluded. */
  private static double penalty(DMatrixRMaj theta, int from, int len) {
    double s = 0;
    for (int j = from; j < from + len - 1; j++) {
      s += theta.data[j] * theta.data[j];
    }
    return 0.5 * s;
  }

  private static void addPenalty(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h, int from, int len) {
    for (int j = from; j < from + len - 1; j++) {
      g.data[j] += theta.data[j];
      h.add(j, j, 1.0);
    }
  }
}
