package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Least squares by blocks of rows ({@link RowBlockQr}) give what the whole centred design gives — the minimum-norm
 * solution by a pseudo-inverse of all n × d, ridge by its normal equations — including for a design whose columns
 * are dependent (one-hot of every level beside the intercept), and the same bits on any threads and on rows held
 * in runs.
 */
class LinearBlocksFitTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0})
  void blocks_giveTheWholeDesignsSolution_evenWithDependentColumns(double alpha) throws Exception {
    Random random = new Random(11);
    int n = 3 * RowLoss.BLOCK_ROWS + 77;
    Batch features = features(random, n);
    Column target = target(random, features);
    LinearRegression fitted = LinearRegression.fit(features, target, alpha);
    double[] want = wholeDesign(features, target, alpha);
    double[] got = fitted.coef();
    for (int j = 0; j < want.length; j++) {
      assertEquals(want[j], got[j], 1e-9 * Math.max(1, Math.abs(want[j])), "coef " + j + " (alpha " + alpha + ")");
    }
    assertEquals(intercept(features, target, want), fitted.intercept(), 1e-9);

    LinearRegression threads = RowBlocks.within(3, () -> LinearRegression.fit(features, target, alpha));
    RowChunks held = RowBlocksFitTest.inRuns(random, features);
    LinearRegression inPlace = RowBlocks.within(2, () -> LinearRegression.fit(held, target, alpha));
    assertEquals(fitted.toState(), threads.toState(), "the same bits on 3 threads");
    assertEquals(fitted.toState(), inPlace.toState(), "the same bits on rows held in " + held.runs() + " runs");
  }

  @Test
  void fewerRowsThanFeatures_giveTheMinimumNormSolution() {
    Random random = new Random(12);
    Batch features = features(random, 4);
    Column target = target(random, features);
    double[] want = wholeDesign(features, target, 0);
    double[] got = LinearRegression.fit(features, target, 0).coef();
    for (int j = 0; j < want.length; j++) {
      assertEquals(want[j], got[j], 1e-9 * Math.max(1, Math.abs(want[j])), "coef " + j);
    }
  }

  /** Four numbers and a one-hot of three levels, every level a column: with the intercept, dependent columns. */
  private static Batch features(Random random, int n) {
    List<Column> cols = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextGaussian() * (j + 1) + j;
      }
      cols.add(new NumericColumn("x" + j, v));
    }
    double[][] levels = new double[3][n];
    for (int i = 0; i < n; i++) {
      levels[random.nextInt(3)][i] = 1;
    }
    for (int k = 0; k < 3; k++) {
      cols.add(new NumericColumn("level_" + k, levels[k]));
    }
    return new Batch(0, 0, n, cols);
  }

  private static Column target(Random random, Batch features) {
    int n = features.rowCount();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double v = 3 + random.nextGaussian();
      for (int j = 0; j < features.columns().size(); j++) {
        v += (j - 2.5) * ((NumericColumn) features.columns().get(j)).get(i);
      }
      y[i] = v;
    }
    return new NumericColumn("y", y);
  }

  /** The coefficients from the whole centred n × d design, as the fit computed them before it went by blocks. */
  private static double[] wholeDesign(Batch features, Column target, double alpha) {
    int n = features.rowCount();
    int d = features.columns().size();
    DMatrixRMaj xc = new DMatrixRMaj(n, d);
    DMatrixRMaj yc = new DMatrixRMaj(n, 1);
    double[] means = means(features);
    double yMean = mean(((NumericColumn) target).values());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        xc.set(i, j, ((NumericColumn) features.columns().get(j)).get(i) - means[j]);
      }
      yc.set(i, 0, ((NumericColumn) target).get(i) - yMean);
    }
    DMatrixRMaj w = new DMatrixRMaj(d, 1);
    if (alpha == 0) {
      LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.pseudoInverse(true);
      s.setA(xc);
      s.solve(yc, w);
    } else {
      DMatrixRMaj a = new DMatrixRMaj(d, d);
      CommonOps_DDRM.multTransA(xc, xc, a);
      for (int j = 0; j < d; j++) {
        a.add(j, j, alpha);
      }
      DMatrixRMaj rhs = new DMatrixRMaj(d, 1);
      CommonOps_DDRM.multTransA(xc, yc, rhs);
      LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.chol(d);
      s.setA(a);
      s.solve(rhs, w);
    }
    return w.data;
  }

  private static double intercept(Batch features, Column target, double[] w) {
    double[] means = means(features);
    double b = mean(((NumericColumn) target).values());
    for (int j = 0; j < w.length; j++) {
      b -= means[j] * w[j];
    }
    return b;
  }

  private static double[] means(Batch features) {
    double[] out = new double[features.columns().size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = mean(((NumericColumn) features.columns().get(j)).values());
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
