package io.busflow.data.model;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/** Matrix products of the fits, written for tall matrices (many rows, few columns). */
final class Products {

  private Products() {}

  /**
   * {@code c = aᵀ·b} for row-major {@code a} (n × m) and {@code b} (n × q): the same sums, added in the same
   * row order, as EJML's {@code CommonOps_DDRM.multTransA} (so the same bits), but read row by row: EJML walks
   * each column of a tall {@code a} with a stride of m, which on a million rows is about ten times slower.
   */
  static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
    int n = a.numRows;
    int m = a.numCols;
    int q = b.numCols;
    double[] ad = a.data;
    double[] bd = b.data;
    double[] out = c.data;
    if (n == 0) {
      Arrays.fill(out, 0, m * q, 0.0);
      return;
    }
    for (int i = 0; i < m; i++) {
      double v = ad[i];
      for (int j = 0; j < q; j++) {
        out[i * q + j] = v * bd[j];
      }
    }
    for (int k = 1; k < n; k++) {
      int ao = k * m;
      int bo = k * q;
      for (int i = 0; i < m; i++) {
        double v = ad[ao + i];
        int co = i * q;
        for (int j = 0; j < q; j++) {
          out[co + j] += v * bd[bo + j];
        }
      }
    }
  }
}
