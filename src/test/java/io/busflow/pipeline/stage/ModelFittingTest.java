package io.busflow.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.model.Model;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.protocol.ModelSpec;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.stage.Artifact;
import io.busflow.stage.ModelTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model's fit session keeps the batches it is sent where they land and fits them in file order: the model it
 * gives is, to the bit, the model type's fit of the same rows joined — read in place by the logistic type, joined by
 * a type that does not read them in place (linear) — whatever order the pieces' batches came in, each piece's lane
 * kept on a thread of its own at once; rows without a label are left out and counted.
 */
class ModelFittingTest {

  private static final int PIECES = 3;
  private static final int BATCHES = 7;

  @ParameterizedTest
  @CsvSource({"logistic,0", "logistic,5", "linear,0", "linear,5"})
  void theSessionsModel_isTheTypesFitOfTheRowsInFileOrder(String type, int withoutLabel) throws Exception {
    Random random = new Random(type.length() * 7L + withoutLabel);
    List<Batch> batches = new ArrayList<>();
    long row = 0;
    for (int piece = 0; piece < PIECES; piece++) {
      for (int i = 0; i < BATCHES; i++) {
        int n = 1 + random.nextInt(9_000);
        batches.add(Batches.inPiece(batch(random, i, row, n, type.equals("logistic")), piece, 0));
        row += n;
      }
    }
    Batch all = Batches.concat(batches);
    if (withoutLabel > 0) {
      all = spoilLabels(all, random, withoutLabel);
      batches = recut(all, batches);
    }
    ModelSpec spec = new ModelSpec(ModelTypes.get(type, "model.type").parse(Map.of(), "model.params"), Artifact.JSON);
    var fitting = new ModelKind().fitting(new StageProtocol.ModelFit(spec, "y", List.of("id"), 2));
    List<Batch> arrival = new ArrayList<>(batches);
    Collections.shuffle(arrival, random);
    Map<Integer, List<Batch>> byLane = new java.util.TreeMap<>();
    for (Batch b : arrival) { // as a fit session does: each batch's lane asked one at a time, lanes accepted at once
      byLane.computeIfAbsent(fitting.lane(b), l -> new ArrayList<>()).add(b);
    }
    assertEquals(PIECES, byLane.size(), "a lane a piece");
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(PIECES);
    try {
      List<java.util.concurrent.Future<?>> lanes = new ArrayList<>();
      byLane.values().forEach(lane -> lanes.add(threads.submit(() -> lane.forEach(fitting::accept))));
      for (java.util.concurrent.Future<?> lane : lanes) {
        lane.get();
      }
    } finally {
      threads.shutdown();
    }
    StageKind.Result<Model> got = fitting.finish();

    Batch labelled = Batches.withValueIn(all, "y");
    Model want = spec.fit(labelled.select(List.of("x0", "x1", "x2")), labelled.column("y"));
    assertEquals(labelled.rowCount(), got.rows());
    assertEquals(withoutLabel, got.rowsWithoutLabel());
    assertEquals(want.toState(), got.artifact().toState());
  }

  private static Batch batch(Random random, long index, long firstRow, int n, boolean classes) {
    double[][] x = new double[3][n];
    double[] y = new double[n];
    String[] id = new String[n];
    for (int i = 0; i < n; i++) {
      double z = random.nextGaussian();
      for (int j = 0; j < 3; j++) {
        x[j][i] = random.nextGaussian();
        z += (j + 1) * x[j][i];
      }
      y[i] = classes ? (z > 0 ? 1 : 0) : z;
      id[i] = "r" + (firstRow + i);
    }
    List<Column> cols = List.of(new StringColumn("id", id), new NumericColumn("x0", x[0]),
        new NumericColumn("y", y), new NumericColumn("x1", x[1]), new NumericColumn("x2", x[2]));
    return new Batch(index, firstRow, n, cols);
  }

  /** {@code all} with {@code count} labels made missing. */
  private static Batch spoilLabels(Batch all, Random random, int count) {
    double[] y = all.numeric("y").values().clone();
    for (int k = 0; k < count; k++) {
      int i;
      do {
        i = random.nextInt(y.length);
      } while (Double.isNaN(y[i]));
      y[i] = Double.NaN;
    }
    List<Column> cols = new ArrayList<>();
    for (Column c : all.columns()) {
      cols.add(c.name().equals("y") ? new NumericColumn("y", y) : c);
    }
    return all.withOnly(cols);
  }

  /** {@code all}'s rows cut as {@code like} was, each part with the index (piece included) and position of its model. */
  private static List<Batch> recut(Batch all, List<Batch> like) {
    List<Batch> out = new ArrayList<>();
    int at = 0;
    for (Batch b : like) {
      out.add(all.slice(at, at + b.rowCount()).withPosition(b.index(), b.firstRow()));
      at += b.rowCount();
    }
    return out;
  }
}
