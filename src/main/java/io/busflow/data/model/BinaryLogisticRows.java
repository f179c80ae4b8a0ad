package io.busflow.data.model;

import java.util.Arrays;

/**
 * The binary logistic loss {@code C·Σ s_i·[log(1+e^z) − y·z]} over θ = [w; b] ({@code s} the rows' weights), read
 * from the feature columns where they are, {@value #SUB} rows at a time: the scores {@code z = X·θ} column by
 * column, then each Hessian entry {@code Σ x_a·(w·x_b)} and gradient entry {@code Σ x_a·r} as a dot product
 * over those rows, four entries at once (independent sums, so the processor overlaps them). Each entry is summed
 * in row order within the rows and then added to the block's sum, so the result depends on the rows alone.
 * The scratch of a thread: the scores, the residuals r, the weights w, a column of ones (the intercept's) and
 * {@code w·x_b} for every column b, and its view of the feature columns ({@link FeatureColumns#at}), which is what
 * lets the rows be held in one array per column or in runs with the same bits.
 */
record BinaryLogisticRows(FeatureColumns cols, int[] y, double[] s, double c)
    implements RowLoss.Rows<BinaryLogisticRows.Scratch> {

  /** Rows at a time: their scratch (d + 5 arrays of this length) stays in the processor's nearest caches. */
  static final int SUB = 256;

  private static final int Z = 0;
  private static final int R = 1;
  private static final int W = 2;
  private static final int ONES = 3;
  private static final int SCALED = 4;

  /** A thread's scratch arrays ({@link #Z} …) and its view of the rows. */
  record Scratch(double[][] v, FeatureColumns.View view) {}

  @Override
  public int params() {
    return cols.width() + 1;
  }

  @Override
  public Scratch scratch() {
    double[][] out = new double[SCALED + cols.width() + 1][SUB];
    Arrays.fill(out[ONES], 1.0);
    return new Scratch(out, cols.view(SUB));
  }

  /** Column {@code j} of the design matrix in the view: a feature column, or the ones for the intercept. */
  private double[] column(int j, Scratch scratch) {
    return j < cols.width() ? scratch.view().arrays[j] : scratch.v()[ONES];
  }

  /** Where the view's first row of column {@code j} is: in the feature's array, or 0 in the ones. */
  private int offset(int j, Scratch scratch) {
    return j < cols.width() ? scratch.view().offset : 0;
  }

  /**
   * Points the view at rows {@code from … from + m} and fills {@code z[0 … m)} with their scores, each
   * {@code x_0·θ_0 + x_1·θ_1 + … + 1·θ_d} in that order.
   */
  private void scores(double[] theta, int from, int m, Scratch scratch) {
    cols.at(from, m, scratch.view());
    double[] z = scratch.v()[Z];
    int d1 = cols.width() + 1;
    double[] x0 = column(0, scratch);
    int o0 = offset(0, scratch);
    for (int i = 0; i < m; i++) {
      z[i] = x0[o0 + i] * theta[0];
    }
    for (int j = 1; j < d1; j++) {
      double[] x = column(j, scratch);
      int o = offset(j, scratch);
      double t = theta[j];
      for (int i = 0; i < m; i++) {
        z[i] += x[o + i] * t;
      }
    }
  }

  @Override
  public double value(double[] theta, int from, int to, Scratch scratch) {
    double loss = 0;
    double[] z = scratch.v()[Z];
    for (int at = from; at < to; at += SUB) {
      int m = Math.min(SUB, to - at);
      scores(theta, at, m, scratch);
      for (int i = 0; i < m; i++) {
        loss += s[at + i] * (LogisticRegression.softplus(z[i]) - y[at + i] * z[i]);
      }
    }
    return c * loss;
  }

  @Override
  public void derivatives(double[] theta, int from, int to, double[] out, Scratch scratch) {
    sums(theta, from, to, out, scratch, false);
  }

  /** Both from the same scores: the value's sum is added row by row as {@link #value} adds it, so its bits agree. */
  @Override
  public void valueAndDerivatives(double[] theta, int from, int to, double[] out, Scratch scratch) {
    out[out.length - 1] = c * sums(theta, from, to, out, scratch, true);
  }

  /** Adds the derivatives of rows {@code from} to {@code to} to {@code out}; their loss over c when {@code loss}, else 0. */
  private double sums(double[] theta, int from, int to, double[] out, Scratch scratch, boolean loss) {
    int d1 = cols.width() + 1;
    double[][] v = scratch.v();
    double[] z = v[Z];
    double[] r = v[R];
    double[] w = v[W];
    double sum = 0;
    for (int at = from; at < to; at += SUB) {
      int m = Math.min(SUB, to - at);
      scores(theta, at, m, scratch);
      for (int i = 0; loss && i < m; i++) {
        sum += s[at + i] * (LogisticRegression.softplus(z[i]) - y[at + i] * z[i]);
      }
      for (int i = 0; i < m; i++) {
        double pi = 1.0 / (1.0 + Math.exp(-z[i]));
        r[i] = c * s[at + i] * (pi - y[at + i]);
        w[i] = c * s[at + i] * pi * (1 - pi);
      }
      for (int b = 0; b < d1; b++) {
        double[] x = column(b, scratch);
        double[] scaled = v[SCALED + b];
        int o = offset(b, scratch);
        for (int i = 0; i < m; i++) {
          scaled[i] = w[i] * x[o + i];
        }
      }
      for (int a = 0; a < d1; a++) {
        double[] xa = column(a, scratch);
        int o = offset(a, scratch);
        out[a] += dot(xa, o, r, m);
        dots(xa, o, v, SCALED + a, SCALED + d1, m, out, d1 + a * d1);
      }
    }
    return sum;
  }

  /** {@code Σ_{i<m} x[o + i]·v[i]}, in row order. */
  private static double dot(double[] x, int o, double[] v, int m) {
    double sum = 0;
    for (int i = 0; i < m; i++) {
      sum += x[o + i] * v[i];
    }
    return sum;
  }

  /**
   * For each {@code k} from {@code first} to {@code end}: adds {@code Σ_{i<m} x[o + i]·scratch[k][i]} (in row order)
   * to {@code out[at + k − SCALED]}, four of them at once.
   */
  private static void dots(double[] x, int o, double[][] scratch, int first, int end, int m, double[] out, int at) {
    int k = first;
    for (; k + 4 <= end; k += 4) {
      double[] v0 = scratch[k];
      double[] v1 = scratch[k + 1];
      double[] v2 = scratch[k + 2];
      double[] v3 = scratch[k + 3];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int i = 0; i < m; i++) {
        double xi = x[o + i];
        s0 += xi * v0[i];
        s1 += xi * v1[i];
        s2 += xi * v2[i];
        s3 += xi * v3[i];
      }
      int e = at + k - SCALED;
      out[e] += s0;
      out[e + 1] += s1;
      out[e + 2] += s2;
      out[e + 3] += s3;
    }
    for (; k < end; k++) {
      out[at + k - SCALED] += dot(x, o, scratch[k], m);
    }
  }
}
