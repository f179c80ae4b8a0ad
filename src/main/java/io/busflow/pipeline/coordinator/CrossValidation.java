package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * k-fold cross-validation of a pipeline on its training rows (those the split trains on, with a label), by
 * the rule of {@link io.busflow.pipeline.protocol.PipelineDefinition.CrossValidation}: the j-th training row (0-based,
 * file order) — of its class, when stratified — belongs to fold {@code j % k}. Every pass runs on the piece runners
 * in the job's pieces ({@link Training}): a first pass counts the labelled training rows of each batch
 * ({@link PieceProtocol.Task#COUNT}), from which the coordinator knows, for each batch, the rows of each class before
 * it in the source ({@link PieceProtocol.Fold#before}), so that the runners of later passes, whose batches are
 * processed in any order, know each row's j. Then for each fold: fit the preprocessing and the model on the other
 * folds, evaluate on the fold (three passes, nothing saved). Holds one count per class and batch. Confined to the
 * coordinator's context.
 *
 * <p>Report: {@code {"folds":k,"stratified":…,"rule":…,"perFold":[{"fold":0,"trainRows":…,"testRows":…,
 * "metrics":{…}},…],"mean":{…},"std":{…}}}; mean and std (population, as numpy's {@code std}) over the folds
 * of each metric every fold has.
 */
final class CrossValidation {

  private final Training job;
  private final int k;
  private final boolean stratified;
  /** For each piece, the rows of each class before each of its batches in the source. */
  private final List<Map<Long, Map<String, Long>>> before = new ArrayList<>();

  /** Cross-validation of the pipeline of {@code job}, in its pieces; after its training. */
  CrossValidation(JobContext ctx, Training job) {
    this.job = job;
    this.k = ctx.def.crossValidation().folds();
    this.stratified = ctx.def.crossValidation().stratified();
  }

  /** Runs every fold; completes with the cross-validation report. */
  Future<JsonObject> run() {
    return job.count(new PieceProtocol.Fold(k, -1, stratified, Map.of())).compose(counted -> {
      number(counted);
      return fold(0, new JsonArray());
    }).map(this::summary);
  }

  /** Learns {@link #before} from the counts of every piece's batches, in file order. */
  private void number(List<PieceProtocol.Done> pieces) {
    Map<String, Long> seen = new HashMap<>();
    for (PieceProtocol.Done piece : pieces) {
      Map<Long, Map<String, Long>> batches = new HashMap<>();
      new TreeMap<>(piece.counts()).forEach((batch, byClass) -> {
        batches.put(batch, Map.copyOf(seen));
        byClass.forEach((c, n) -> seen.merge(c, n, Long::sum));
      });
      before.add(batches);
    }
  }

  /** The rows of each class ({@code ""} for all when not {@code stratified}) in {@code rows}. */
  static Map<String, Long> count(Batch rows, String label, boolean stratified) {
    if (!stratified) {
      return Map.of("", (long) rows.rowCount());
    }
    Map<String, Long> out = new HashMap<>();
    Column labels = rows.column(label);
    for (int i = 0; i < rows.rowCount(); i++) {
      out.merge(labels.text(i), 1L, Long::sum);
    }
    return out;
  }

  /**
   * The rows of {@code rows} — the labelled training rows of the piece's batch {@code batch} — in {@code fold}'s
   * fold ({@code test}) or in the others.
   *
   * @throws IllegalStateException when the count pass did not see the batch (the source changed between passes)
   */
  static Batch inFold(Batch rows, String label, PieceProtocol.Fold fold, long batch, boolean test) {
    if (rows.rowCount() == 0) {
      return rows;
    }
    Map<String, Long> counted = fold.before().get(batch);
    if (counted == null) {
      throw new IllegalStateException("cross-validation: batch " + batch + " was not read by the count pass; was "
          + "the source changed while the job ran?");
    }
    Map<String, Long> seen = new HashMap<>(counted);
    Column labels = rows.column(label);
    int[] keep = new int[rows.rowCount()];
    int n = 0;
    for (int i = 0; i < keep.length; i++) {
      long j = seen.merge(fold.stratified() ? labels.text(i) : "", 1L, Long::sum) - 1;
      if ((j % fold.folds() == fold.fold()) == test) {
        keep[n++] = i;
      }
    }
    return n == keep.length ? rows : rows.selectRows(Arrays.copyOf(keep, n));
  }

  private Future<JsonArray> fold(int f, JsonArray done) {
    if (f == k) {
      return Future.succeededFuture(done);
    }
    Training t = job.fold(piece -> new PieceProtocol.Fold(k, f, stratified, before.get(piece)));
    return t.fitAndEvaluate().compose(ev -> fold(f + 1, done.add(new JsonObject().put("fold", f)
        .put("trainRows", t.trainRows()).put("testRows", ev.getLong("rows")).put("metrics", scalars(ev)))));
  }

  /** The evaluation's single-number metrics. */
  private static JsonObject scalars(JsonObject ev) {
    JsonObject out = new JsonObject();
    ev.getJsonObject("metrics").forEach(e -> {
      if (e.getValue() instanceof Number n) {
        out.put(e.getKey(), n.doubleValue());
      }
    });
    return out;
  }

  private JsonObject summary(JsonArray folds) {
    Map<String, double[]> values = new LinkedHashMap<>();
    for (int f = 0; f < folds.size(); f++) {
      JsonObject m = folds.getJsonObject(f).getJsonObject("metrics");
      int fold = f;
      m.fieldNames().forEach(name -> values.computeIfAbsent(name, x -> filled(folds.size()))[fold] = m.getDouble(name));
    }
    JsonObject mean = new JsonObject();
    JsonObject std = new JsonObject();
    values.forEach((name, v) -> {
      if (Arrays.stream(v).noneMatch(Double::isNaN)) {
        mean.put(name, mean(v));
        std.put(name, std(v));
      }
    });
    return new JsonObject().put("folds", k).put("stratified", stratified).put("rule", rule())
        .put("perFold", folds).put("mean", mean).put("std", std);
  }

  private String rule() {
    return "training rows in file order; the j-th row " + (stratified ? "of each class " : "")
        + "(0-based) is in fold j % " + k;
  }

  private static double[] filled(int n) {
    double[] v = new double[n];
    Arrays.fill(v, Double.NaN);
    return v;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
