package io.busflow.data.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * The R factor of the centred design {@code [X − mean | y − ȳ]} (n × (d + 1)) by blocks of rows, the tall-skinny QR:
 * the rows are cut into fixed blocks of {@link RowLoss#BLOCK_ROWS} by their count alone, each block's R is found on
 * its own (Householder QR, on as many threads as asked), and the blocks' factors are folded in block order — the R
 * of two stacked R's is the R of their rows together —, so the result has the same bits on any number of threads.
 * {@code RᵀR} is the design's {@code XᵀX}, and least squares solve on R alone. Memory: a block per thread and a
 * (d + 1)² factor per block.
 */
final class RowBlockQr {

  private RowBlockQr() {}

  /** The (d + 1) × (d + 1) upper-triangular R of {@code [cols − means | y − yMean]}, on {@code threads} threads. */
  static DMatrixRMaj r(FeatureColumns cols, double[] means, double[] y, double yMean, int threads) {
    int n = cols.rows();
    int blocks = RowLoss.blocks(n);
    DMatrixRMaj[] factors = new DMatrixRMaj[blocks];
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      Block b = new Block(cols, means, y, yMean);
      for (int i = next.getAndIncrement(); i < blocks; i = next.getAndIncrement()) {
        int from = (int) Math.min(n, (long) i * RowLoss.BLOCK_ROWS);
        int to = (int) Math.min(n, (long) (i + 1) * RowLoss.BLOCK_ROWS);
        factors[i] = b.r(from, to);
      }
    };
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int t = 1; t < Math.min(threads, blocks); t++) {
      running.add(CompletableFuture.runAsync(work, ForkJoinPool.commonPool()));
    }
    work.run();
    running.forEach(CompletableFuture::join);
    DMatrixRMaj r = factors[0];
    for (int i = 1; i < blocks; i++) {
      r = stackedR(r, factors[i]);
      factors[i] = null;
    }
    return square(r, cols.width() + 1);
  }

  /** The R of the rows of {@code a} and {@code b} together. */
  private static DMatrixRMaj stackedR(DMatrixRMaj a, DMatrixRMaj b) {
    DMatrixRMaj m = new DMatrixRMaj(a.numRows + b.numRows, a.numCols);
    CommonOps_DDRM.insert(a, m, 0, 0);
    CommonOps_DDRM.insert(b, m, a.numRows, 0);
    return rOf(m);
  }

  /** The compact R of {@code m}'s QR decomposition: min(rows, cols) × cols. */
  private static DMatrixRMaj rOf(DMatrixRMaj m) {
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m.numRows, m.numCols);
    if (!qr.decompose(m)) {
      throw new IllegalStateException("least squares: the QR decomposition of a block of rows failed");
    }
    return qr.getR(null, true);
  }

  /** {@code r} with zero rows added to make it k × k (fewer rows than columns: fewer rows than features). */
  private static DMatrixRMaj square(DMatrixRMaj r, int k) {
    if (r.numRows == k) {
      return r;
    }
    DMatrixRMaj out = new DMatrixRMaj(k, k);
    CommonOps_DDRM.insert(r, out, 0, 0);
    return out;
  }

  /** One thread's block: the centred rows of a block, row-major, read through its view of the columns. */
  private static final class Block {
    private final FeatureColumns cols;
    private final double[] means;
    private final double[] y;
    private final double yMean;
    private final FeatureColumns.View view;
    private final int width;

    Block(FeatureColumns cols, double[] means, double[] y, double yMean) {
      this.cols = cols;
      this.means = means;
      this.y = y;
      this.yMean = yMean;
      this.view = cols.view(BinaryLogisticRows.SUB);
      this.width = cols.width() + 1;
    }

    DMatrixRMaj r(int from, int to) {
      DMatrixRMaj a = new DMatrixRMaj(to - from, width);
      double[] data = a.data;
      for (int at = from; at < to; at += BinaryLogisticRows.SUB) {
        int m = Math.min(BinaryLogisticRows.SUB, to - at);
        cols.at(at, m, view);
        for (int j = 0; j < width - 1; j++) {
          double[] x = view.arrays[j];
          double mean = means[j];
          for (int i = 0; i < m; i++) {
            data[(at - from + i) * width + j] = x[view.offset + i] - mean;
          }
        }
        for (int i = 0; i < m; i++) {
          data[(at - from + i) * width + width - 1] = y[at + i] - yMean;
        }
      }
      return rOf(a);
    }
  }
}
