package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A logistic fit on several threads ({@link RowBlocks}: fixed row blocks summed on as many threads at once, added
 * in block order) gives the one-thread fit's model bit for bit, at every run, whatever the threads' timing.
 */
class RowBlocksFitTest {

  @ParameterizedTest
  @CsvSource({"2,false,2", "2,true,3", "3,false,4", "4,true,7", "2,false,5000"})
  void threadedFit_equalsOneThreadFit(int classes, boolean balanced, int threads) throws Exception {
    Random random = new Random(classes * 31L + threads);
    Batch features = features(random, 9 * RowLoss.BLOCK_ROWS + 123, 5);
    Column target = target(random, features, classes);
    var options = new LogisticRegression.Options(1.0, 1e-10, 100, 0.5, balanced);
    LogisticRegression one = LogisticRegression.fit(features, target, options);
    LogisticRegression split = RowBlocks.within(threads, () -> LogisticRegression.fit(features, target, options));
    LogisticRegression again = RowBlocks.within(threads, () -> LogisticRegression.fit(features, target, options));
    assertEquals(one.classes(), split.classes());
    assertEquals(one.fitInfo().nIter(), split.fitInfo().nIter());
    assertTrue(split.fitInfo().converged());
    assertEquals(one.toState(), split.toState(), "the same bits on " + threads + " threads as on one");
    assertEquals(one.toState(), again.toState(), "the same bits at every run");
  }

  private static Batch features(Random random, int n, int d) {
    List<Column> cols = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = random.nextGaussian();
      }
      cols.add(new NumericColumn("x" + j, v));
    }
    return new Batch(0, 0, n, cols);
  }

  private static Column target(Random random, Batch features, int classes) {
    int n = features.rowCount();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < features.columns().size(); j++) {
        z += (j + 1) * 0.4 * ((NumericColumn) features.columns().get(j)).get(i);
      }
      z += random.nextGaussian();
      y[i] = Math.floorMod((int) Math.floor(z), classes);
    }
    return new NumericColumn("y", y);
  }
}
