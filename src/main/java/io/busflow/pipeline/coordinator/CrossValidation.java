package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k-fold cross-validation of a pipeline on its training rows (those the split trains on, with a label), by
 * the rule of {@link io.busflow.pipeline.protocol.PipelineDefinition.CrossValidation}: the j-th training row (0-based, file order) — of
 * its class, when stratified — belongs to fold {@code j % k}. A first pass counts, in batch order, the rows
 * of each class before each batch, so that later passes (whose batches are processed in any order) know
 * each row's j. Then for each fold: fit the preprocessing and the model on the other folds, evaluate on
 * the fold (three passes, nothing saved). Holds one count per class and batch. Confined to the
 * coordinator's context.
 *
 * <p>Report: {@code {"folds":k,"stratified":…,"rule":…,"perFold":[{"fold":0,"trainRows":…,"testRows":…,
 * "metrics":{…}},…],"mean":{…},"std":{…}}}; mean and std (population, as numpy's {@code std}) over the folds
 * of each metric every fold has.
 */
final class CrossValidation {

  private final JobContext ctx;
  private final int k;
  private final boolean stratified;
  private final Map<Long, Map<String, Long>> before = new HashMap<>();
  private final Map<String, Long> counts = new HashMap<>();

  CrossValidation(JobContext ctx) {
    this.ctx = ctx;
    this.k = ctx.def.crossValidation().folds();
    this.stratified = ctx.def.crossValidation().stratified();
  }

  /** Runs every fold; completes with the cross-validation report. */
  Future<JsonObject> run() {
    return ctx.pass("cross-validation: count", ctx.def.source(), true, b -> Future.succeededFuture(rows(b)),
        this::count).compose(s -> fold(0, new JsonArray())).map(this::summary);
  }

  private Batch rows(Batch b) {
    return ctx.labelled(ctx.splitter.train(b), null);
  }

  private Future<Void> count(Batch rows) {
    before.put(rows.index(), new HashMap<>(counts));
    Column label = rows.column(ctx.label);
    for (int i = 0; i < rows.rowCount(); i++) {
      counts.merge(key(label, i), 1L, Long::sum);
    }
    return Future.succeededFuture();
  }

  private String key(Column label, int row) {
    return stratified ? label.text(row) : "";
  }

  private Future<JsonArray> fold(int f, JsonArray done) {
    if (f == k) {
      return Future.succeededFuture(done);
    }
    Training t = new Training(ctx, new Fold(f));
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

  /** The rows of one fold: tests on its own, trains on the others. */
  private final class Fold implements Training.Rows {
    private final int f;

    Fold(int f) {
      this.f = f;
    }

    @Override
    public Batch train(Batch b) {
      return pick(b, false);
    }

    @Override
    public Batch test(Batch b) {
      return pick(b, true);
    }

    private Batch pick(Batch b, boolean test) {
      Batch all = rows(b);
      Map<String, Long> seen = new HashMap<>(before.getOrDefault(all.index(), Map.of()));
      Column label = all.column(ctx.label);
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < all.rowCount(); i++) {
        long j = seen.merge(key(label, i), 1L, Long::sum) - 1;
        if ((j % k == f) == test) {
          keep.add(i);
        }
      }
      return all.selectRows(keep.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
