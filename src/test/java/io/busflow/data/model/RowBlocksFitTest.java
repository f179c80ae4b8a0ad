package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A logistic fit on several threads ({@link RowBlocks}: fixed row blocks summed on as many threads at once, added
 * in block order) gives the one-thread fit's model bit for bit, at every run, whatever the threads' timing, and
 * so does a fit reading the rows where a fit session keeps them ({@link RowChunks}: runs of rows in shared arrays).
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
    RowChunks held = inRuns(random, features);
    LogisticRegression inPlace = RowBlocks.within(threads, () -> LogisticRegression.fit(held, target, options));
    assertEquals(one.classes(), split.classes());
    assertEquals(one.fitInfo().nIter(), split.fitInfo().nIter());
    assertTrue(split.fitInfo().converged());
    assertEquals(one.toState(), split.toState(), "the same bits on " + threads + " threads as on one");
    assertEquals(one.toState(), again.toState(), "the same bits at every run");
    assertEquals(one.toState(), inPlace.toState(), "the same bits on the rows held in " + held.runs() + " runs");
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

  /** The rows of {@code features} in runs of 1 to 3,000 rows, packed with gaps into arrays of 10,000 rows. */
  static RowChunks inRuns(Random random, Batch features) {
    int d = features.columns().size();
    List<Object[]> arrays = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    Object[] current = null;
    int used = 0;
    for (int at = 0; at < features.rowCount(); ) {
      int rows = Math.min(features.rowCount() - at, 1 + random.nextInt(3000));
      if (current == null || used + rows > 10_000) {
        current = new Object[d];
        for (int j = 0; j < d; j++) {
          current[j] = new double[10_000];
        }
        used = 0;
      }
      for (int j = 0; j < d; j++) {
        System.arraycopy(((NumericColumn) features.columns().get(j)).values(), at, current[j], used, rows);
      }
      arrays.add(current);
      offsets.add(used);
      counts.add(rows);
      used += rows + 2;
      at += rows;
    }
    return new RowChunks(features.columnNames(), arrays.toArray(new Object[0][]),
        offsets.stream().mapToInt(Integer::intValue).toArray(), counts.stream().mapToInt(Integer::intValue).toArray(),
        null);
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
