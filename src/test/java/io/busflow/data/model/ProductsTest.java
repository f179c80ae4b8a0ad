package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link Products#multTransA} gives EJML's {@code multTransA} bit for bit (so fits with one row block are
 * unchanged), over both of EJML's algorithms (fewer and more than 15 columns), vectors, zeros and signed zeros.
 */
class ProductsTest {

  @Test
  void multTransA_givesEjmlsBits() {
    Random r = new Random(3);
    for (int t = 0; t < 300; t++) {
      int n = r.nextInt(2000);
      int m = 1 + r.nextInt(24);
      int q = r.nextBoolean() ? 1 : 1 + r.nextInt(24);
      DMatrixRMaj a = random(r, n, m);
      DMatrixRMaj b = random(r, n, q);
      DMatrixRMaj want = new DMatrixRMaj(m, q);
      DMatrixRMaj got = new DMatrixRMaj(m, q);
      got.fill(42);
      CommonOps_DDRM.multTransA(a, b, want);
      Products.multTransA(a, b, got);
      for (int i = 0; i < want.data.length; i++) {
        assertEquals(Double.doubleToRawLongBits(want.data[i]), Double.doubleToRawLongBits(got.data[i]),
            "n=" + n + " m=" + m + " q=" + q + " entry " + i + ": " + want.data[i] + " vs " + got.data[i]);
      }
    }
  }

  private static DMatrixRMaj random(Random r, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      int kind = r.nextInt(6);
      m.data[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : r.nextGaussian() * Math.exp(r.nextGaussian() * 5);
    }
    return m;
  }
}
