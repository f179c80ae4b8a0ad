package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.busflow.data.RowChunks;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link RowLoss} adds its blocks' sums in block order on any number of threads: the same bits as one thread
 * summing block after block, with more blocks than its window of waiting sums; a block that fails fails the sum.
 */
class RowLossTest {

  /** Row i's value: magnitudes that make the order of the additions show in the last bits. */
  private static double term(int i) {
    return Math.sin(i) * Math.pow(10, i % 17 - 8);
  }

  /** Rows whose loss is the sum of their terms; gradient (p = 2) the terms and their squares, Hessian their products. */
  private record Terms(int failAt) implements RowLoss.Rows<double[]> {
    @Override
    public int params() {
      return 2;
    }

    @Override
    public double[] scratch() {
      return new double[0];
    }

    @Override
    public double value(double[] theta, int from, int to, double[] scratch) {
      double s = 0;
      for (int i = from; i < to; i++) {
        if (i == failAt) {
          throw new IllegalArgumentException("row " + i + " is bad");
        }
        s += term(i) * theta[0];
      }
      return s;
    }

    @Override
    public void derivatives(double[] theta, int from, int to, double[] out, double[] scratch) {
      for (int i = from; i < to; i++) {
        out[0] += term(i);
        out[1] += term(i) * term(i);
        out[2] += term(i) * 3;
        out[3] += term(i) * 5;
        out[5] += term(i) * term(i) * 7;
      }
    }
  }

  private static final Newton.Objective NO_PENALTY = new Newton.Objective() {
    @Override
    public double value(DMatrixRMaj theta) {
      return 0;
    }

    @Override
    public void derivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
      g.zero();
      h.zero();
    }
  };

  @Test
  void sums_haveTheBitsOfBlocksAddedInOrder_onAnyThreads() {
    int n = (RowLoss.MOST_WINDOW + 37) * RowLoss.BLOCK_ROWS + 5; // more blocks than the ring of waiting sums holds
    double want = 0;
    for (int b = 0; b < RowLoss.blocks(n); b++) {
      double block = 0;
      for (int i = b * RowLoss.BLOCK_ROWS; i < Math.min(n, (b + 1) * RowLoss.BLOCK_ROWS); i++) {
        block += term(i) * 1.5;
      }
      want += block;
    }
    DMatrixRMaj theta = new DMatrixRMaj(new double[][] {{1.5}, {0}});
    DMatrixRMaj g1 = new DMatrixRMaj(2, 1);
    DMatrixRMaj h1 = new DMatrixRMaj(2, 2);
    new RowLoss<>(new Terms(-1), n, 1, NO_PENALTY).derivatives(theta, g1, h1);
    assertEquals(h1.get(0, 1), h1.get(1, 0), "the Hessian is mirrored");
    for (int threads : new int[] {1, 2, 3, 8, 100}) {
      RowLoss<double[]> loss = new RowLoss<>(new Terms(-1), n, threads, NO_PENALTY);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(loss.value(theta)), threads + " threads");
      DMatrixRMaj g = new DMatrixRMaj(2, 1);
      DMatrixRMaj h = new DMatrixRMaj(2, 2);
      loss.derivatives(theta, g, h);
      assertArrayEquals(g1.data, g.data, "gradient on " + threads + " threads");
      assertArrayEquals(h1.data, h.data, "Hessian on " + threads + " threads");
    }
  }

  @Test
  void theWindowOfWaitingSums_isBoundedByBytes_andKeepsTwoPerThread() {
    assertEquals(RowLoss.MOST_WINDOW, RowLoss.window(15 + 15 * 15, 2), "a binary fit of 14 features");
    long perSum = 8L * (100 + 100 * 100);
    assertEquals((int) (RowLoss.WINDOW_BYTES / perSum), RowLoss.window(100 + 100 * 100, 2), "100 parameters");
    assertEquals(16, RowLoss.window(1000 + 1000 * 1000, 8), "a sum larger than the window's bytes: 2 per thread");
  }

  @Test
  void valueAndDerivatives_inOnePass_haveTheBitsOfTheTwoApart() {
    int n = 11 * RowLoss.BLOCK_ROWS + 77;
    DMatrixRMaj theta = new DMatrixRMaj(new double[][] {{1.5}, {0}});
    for (int threads : new int[] {1, 3}) {
      RowLoss<double[]> loss = new RowLoss<>(new Terms(-1), n, threads, NO_PENALTY);
      DMatrixRMaj g = new DMatrixRMaj(2, 1);
      DMatrixRMaj h = new DMatrixRMaj(2, 2);
      loss.derivatives(theta, g, h);
      DMatrixRMaj g2 = new DMatrixRMaj(2, 1);
      DMatrixRMaj h2 = new DMatrixRMaj(2, 2);
      double v = loss.valueAndDerivatives(theta, g2, h2);
      assertEquals(Double.doubleToLongBits(loss.value(theta)), Double.doubleToLongBits(v), threads + " threads");
      assertArrayEquals(g.data, g2.data);
      assertArrayEquals(h.data, h2.data);
    }
  }

  @Test
  void binaryLogistic_sharesItsScores_withTheBitsOfTheValueAndDerivativesApart() {
    int n = 3 * RowLoss.BLOCK_ROWS + 300;
    double[][] cols = randomColumns(n, 4);
    var rows = new BinaryLogisticRows(FeatureColumns.of(NAMES, cols, n), labels(n), weights(n), 0.7);
    double[] theta = {0.3, -1.2, 0.05, 2.0, -0.4};
    double[] apart = new double[rows.params() * (rows.params() + 1) + 1];
    rows.derivatives(theta, 17, n, apart, rows.scratch());
    apart[apart.length - 1] = rows.value(theta, 17, n, rows.scratch());
    double[] fused = new double[apart.length];
    rows.valueAndDerivatives(theta, 17, n, fused, rows.scratch());
    for (int i = 0; i < apart.length; i++) {
      assertEquals(Double.doubleToLongBits(apart[i]), Double.doubleToLongBits(fused[i]), "entry " + i);
    }
  }

  /**
   * The rows held in runs — cut inside the loss's sub-blocks, with an empty run, at offsets in larger arrays — give
   * the bits of the same rows held in one array per column.
   */
  @Test
  void binaryLogistic_onRowsHeldInRuns_hasTheBitsOfRowsHeldWhole() {
    int n = 2 * RowLoss.BLOCK_ROWS + 1000;
    double[][] cols = randomColumns(n, 4);
    int[] y = labels(n);
    double[] s = weights(n);
    var whole = new BinaryLogisticRows(FeatureColumns.of(NAMES, cols, n), y, s, 0.7);
    var inRuns = new BinaryLogisticRows(FeatureColumns.of(inRuns(cols, n, 100, 255, 0, 257, 5000, 1)), y, s, 0.7);
    double[] theta = {0.3, -1.2, 0.05, 2.0, -0.4};
    for (int[] range : new int[][] {{0, n}, {17, 400}, {350, 360}, {RowLoss.BLOCK_ROWS, 2 * RowLoss.BLOCK_ROWS}}) {
      double[] a = new double[whole.params() * (whole.params() + 1) + 1];
      double[] b = new double[a.length];
      whole.valueAndDerivatives(theta, range[0], range[1], a, whole.scratch());
      inRuns.valueAndDerivatives(theta, range[0], range[1], b, inRuns.scratch());
      for (int i = 0; i < a.length; i++) {
        assertEquals(Double.doubleToLongBits(a[i]), Double.doubleToLongBits(b[i]), "rows " + range[0] + " … "
            + range[1] + ", entry " + i);
      }
    }
  }

  private static final List<String> NAMES = List.of("a", "b", "c", "d");

  /**
   * {@code cols}' rows in runs of the given sizes (the rest in a last run), each run at offset 3 of an array of its
   * own with other numbers around it.
   */
  static RowChunks inRuns(double[][] cols, int n, int... sizes) {
    List<Integer> counts = new ArrayList<>();
    int used = 0;
    for (int size : sizes) {
      counts.add(size);
      used += size;
    }
    counts.add(n - used);
    Object[][] arrays = new Object[counts.size()][cols.length];
    int[] offsets = new int[counts.size()];
    int[] rows = new int[counts.size()];
    int at = 0;
    for (int r = 0; r < counts.size(); r++) {
      offsets[r] = 3;
      rows[r] = counts.get(r);
      for (int j = 0; j < cols.length; j++) {
        double[] a = new double[rows[r] + 5];
        java.util.Arrays.fill(a, Double.NaN);
        System.arraycopy(cols[j], at, a, 3, rows[r]);
        arrays[r][j] = a;
      }
      at += rows[r];
    }
    return new RowChunks(NAMES.subList(0, cols.length), arrays, offsets, rows, null);
  }

  private static double[][] randomColumns(int n, int d) {
    java.util.Random random = new java.util.Random(5);
    double[][] cols = new double[d][n];
    for (int i = 0; i < n; i++) {
      for (double[] col : cols) {
        col[i] = random.nextGaussian();
      }
    }
    return cols;
  }

  private static int[] labels(int n) {
    java.util.Random random = new java.util.Random(6);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(2);
    }
    return y;
  }

  private static double[] weights(int n) {
    java.util.Random random = new java.util.Random(7);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = 0.5 + random.nextDouble();
    }
    return s;
  }

  @Test
  void aFailingBlock_failsTheSum() {
    int n = 20 * RowLoss.BLOCK_ROWS;
    var loss = new RowLoss<>(new Terms(13 * RowLoss.BLOCK_ROWS + 7), n, 3, NO_PENALTY);
    var e = assertThrows(IllegalArgumentException.class, () -> loss.value(new DMatrixRMaj(2, 1)));
    assertEquals("row " + (13 * RowLoss.BLOCK_ROWS + 7) + " is bad", e.getMessage());
  }
}
