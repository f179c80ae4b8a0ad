package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole jobs against scikit-learn's own results (src/test/resources/golden, made by make_golden.py): the
 * same train/test rows (the files' {@code split} column), the same preprocessing and model settings; the
 * job's evaluation must give the same accuracy (at most one test row apart) and log loss within 1 %, or
 * R² within 0.005, and cross-validation the same folds and fold metrics; with the training passes read in 1 and
 * in 4 partitions.
 */
@ExtendWith(VertxExtension.class)
class GoldenJobTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    this.vertx = vertx;
    Files.createDirectories(dir.resolve("out"));
    for (String name : new String[] {"breast_cancer", "iris", "wine", "diabetes"}) {
      Files.copy(Path.of("src/test/resources/golden", name + ".csv"), dir.resolve(name + ".csv"));
    }
    Stages stages = new Stages();
    stages.deployStages(vertx, Stages.options(dir)).compose(v -> stages.deployCoordinator(vertx, Stages.options(dir)))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject expected(String name) throws IOException {
    return new JsonObject(Files.readString(Path.of("src/test/resources/golden", name + "_expected.json")));
  }

  private static JsonObject definition(String name, String imputer, JsonArray features, JsonObject model) {
    JsonArray steps = new JsonArray();
    if (imputer != null) {
      steps.add(new JsonObject().put("impute", new JsonObject().put("strategy", imputer).put("columns", features)));
    }
    steps.add(new JsonObject().put("scale", new JsonObject().put("method", "standard").put("columns", features)));
    return new JsonObject().put("name", name).put("mode", "train").put("source", name + ".csv").put("label", "target")
        .put("split", new JsonObject().put("column", "split").put("testValue", "test"))
        .put("preprocessing", new JsonObject().put("steps", steps)).put("model", model);
  }

  /**
   * {@code def} read in {@code partitions} pieces: small files too (partitionMinBytes 0), a small type-inference
   * sample and small batches, so that every piece holds several batches.
   */
  private static JsonObject partitioned(JsonObject def, int partitions) {
    return partitions == 1 ? def : def.put("partitions", partitions).put("partitionMinBytes", 0)
        .put("read", new JsonObject().put("sampleRows", 20)).put("batchSize", 16);
  }

  private static void assertPartitions(int partitions, JsonObject training) {
    assertEquals(partitions, training.getInteger("partitions"), "read in pieces: " + training.encodePrettily());
  }

  private Future<JsonObject> run(JsonObject definition) {
    Promise<JsonObject> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> PipelineClient.run(vertx,
        new PipelineProtocol.Run(null, definition, null, new JsonObject()), m -> { }).onComplete(p));
    return p.future();
  }

  @ParameterizedTest
  @CsvSource({"breast_cancer,mean,1", "iris,,1", "wine,median,1", "breast_cancer,mean,4", "iris,,4", "wine,median,4"})
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void classifierJob_agreesWithScikitLearn(String name, String imputer, int partitions, VertxTestContext ctx)
      throws IOException {
    JsonObject exp = expected(name);
    JsonObject model = new JsonObject().put("type", "logistic")
        .put("params", new JsonObject().put("C", 1.0).put("tol", 1e-10).put("max_iter", 1000));
    run(partitioned(definition(name, imputer, exp.getJsonArray("features"), model), partitions))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      assertPartitions(partitions, r.getJsonObject("training"));
      JsonObject ev = r.getJsonObject("training").getJsonObject("evaluation");
      assertEquals(exp.getLong("n_test"), ev.getLong("rows"));
      JsonObject m = ev.getJsonObject("metrics");
      double oneRow = 1.0 / exp.getLong("n_test");
      assertEquals(exp.getDouble("accuracy"), m.getDouble("accuracy"), oneRow + 1e-12, "accuracy");
      assertEquals(exp.getDouble("log_loss"), m.getDouble("log_loss"), 0.01 * exp.getDouble("log_loss"), "log loss");
      if (exp.containsKey("roc_auc")) {
        assertEquals(exp.getDouble("roc_auc"), m.getDouble("roc_auc"), 0.005, "roc auc");
      }
      assertEquals(exp.getLong("n_train"), r.getJsonObject("training").getLong("trainRows"));
      assertPlots(exp, ev);
      assertCoefficients(r.getJsonObject("training").getJsonObject("model"), exp.getJsonArray("features").size());
      ctx.completeNow();
    })));
  }

  @ParameterizedTest
  @CsvSource({"breast_cancer,mean,true,1", "breast_cancer,mean,true,4", "diabetes,,false,1", "diabetes,,false,4"})
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void crossValidation_givesScikitLearnsFolds(String name, String imputer, boolean stratified, int partitions,
      VertxTestContext ctx) throws IOException {
    JsonObject want = new JsonObject(Files.readString(Path.of("src/test/resources/golden/report_expected.json")))
        .getJsonObject("cv").getJsonObject(name);
    JsonObject model = stratified ? new JsonObject().put("type", "logistic")
        .put("params", new JsonObject().put("C", 1.0).put("tol", 1e-10).put("max_iter", 1000))
        : new JsonObject().put("type", "linear");
    JsonObject def = definition(name, imputer, expected(name).getJsonArray("features"), model)
        .put("crossValidation", new JsonObject().put("folds", 5).put("stratified", stratified));
    if (!stratified) {
      def.getJsonObject("preprocessing").put("steps", new JsonArray());
    }
    run(partitioned(def, partitions)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      assertPartitions(partitions, r.getJsonObject("training"));
      JsonObject cv = r.getJsonObject("training").getJsonObject("crossValidation");
      JsonArray folds = want.getJsonArray("folds");
      assertEquals(folds.size(), cv.getJsonArray("perFold").size());
      for (int f = 0; f < folds.size(); f++) {
        JsonObject w = folds.getJsonObject(f);
        JsonObject got = cv.getJsonArray("perFold").getJsonObject(f);
        assertEquals(w.getLong("train_rows"), got.getLong("trainRows"), "fold " + f + " training rows");
        assertEquals(w.getLong("test_rows"), got.getLong("testRows"), "fold " + f + " test rows");
        assertFoldMetrics(w.getJsonObject("metrics"), got.getJsonObject("metrics"), w.getLong("test_rows"), "fold " + f);
      }
      assertFoldMetrics(want.getJsonObject("mean"), cv.getJsonObject("mean"), folds.getJsonObject(0).getLong("test_rows"),
          "mean");
      want.getJsonObject("std").forEach(e -> assertEquals((Double) e.getValue(),
          cv.getJsonObject("std").getDouble(e.getKey()), stratified ? 0.01 : 1e-6, "std of " + e.getKey()));
      ctx.completeNow();
    })));
  }

  /**
   * Metrics of one fold (or their means): exact models (least squares) to 1e-6; logistic regression, where
   * lbfgs stops short of Newton's optimum, as the other tests here (a row's accuracy, 1 % log loss).
   */
  private static void assertFoldMetrics(JsonObject want, JsonObject got, double rows, String what) {
    for (String key : want.fieldNames()) {
      double w = want.getDouble(key);
      double tol = switch (key) {
        case "accuracy" -> 1.0 / rows + 1e-12;
        case "precision_macro", "recall_macro", "f1_macro" -> 2.0 / rows;
        case "log_loss" -> 0.01 * w;
        case "roc_auc", "average_precision" -> 0.005;
        default -> 1e-6 * Math.abs(w);
      };
      assertEquals(w, got.getDouble(key), tol, what + " " + key);
    }
  }

  /** The numbers behind the plots: class report, and for two classes the curves and calibration bins. */
  private static void assertPlots(JsonObject exp, JsonObject ev) {
    JsonObject report = ev.getJsonObject("classReport");
    assertEquals(exp.getJsonArray("classes").size(), report.getJsonArray("classes").size());
    assertEquals(ev.getJsonObject("metrics").getDouble("accuracy"), report.getDouble("accuracy"));
    assertEquals(exp.getLong("n_test"), report.getJsonObject("macro").getLong("support"));
    if (!exp.containsKey("roc_auc")) {
      assertTrue(!ev.containsKey("roc") && !ev.containsKey("calibration"), "no curves for more than two classes");
      return;
    }
    JsonObject roc = ev.getJsonObject("roc");
    assertEquals(ev.getJsonObject("metrics").getDouble("roc_auc"), roc.getDouble("auc"));
    assertTrue(roc.getJsonArray("fpr").size() <= 200 && roc.getJsonArray("tpr").size() == roc.getJsonArray("fpr").size());
    assertEquals(null, roc.getJsonArray("thresholds").getValue(0), "the first threshold is infinite: null");
    JsonObject pr = ev.getJsonObject("precisionRecall");
    assertEquals(ev.getJsonObject("metrics").getDouble("average_precision"), pr.getDouble("averagePrecision"));
    assertTrue(pr.getDouble("averagePrecision") > 0.9, "breast cancer is well separated: " + pr);
    long binned = 0;
    for (Object b : ev.getJsonObject("calibration").getJsonArray("bins")) {
      binned += ((JsonObject) b).getLong("count");
    }
    assertEquals(exp.getLong("n_test"), binned, "every test row falls in one calibration bin");
  }

  /** One row per class (one for two classes or a regression), largest |coef| first, every feature named. */
  private static void assertCoefficients(JsonObject model, int features) {
    JsonArray rows = model.getJsonArray("coefficients");
    JsonArray classes = model.getJsonArray("classes");
    assertEquals(classes == null || classes.size() == 2 ? 1 : classes.size(), rows.size());
    for (Object o : rows) {
      JsonArray terms = ((JsonObject) o).getJsonArray("coefficients");
      assertEquals(features, terms.size());
      for (int j = 1; j < terms.size(); j++) {
        assertTrue(Math.abs(terms.getJsonObject(j - 1).getDouble("coef")) >= Math.abs(terms.getJsonObject(j)
            .getDouble("coef")), "sorted by |coef|: " + terms);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"ols,linear,0,1", "ridge,ridge,1.0,1", "ols,linear,0,4", "ridge,ridge,1.0,4"})
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void regressionJob_agreesWithScikitLearn(String key, String type, double alpha, int partitions, VertxTestContext ctx)
      throws IOException {
    JsonObject exp = expected("diabetes");
    JsonObject model = new JsonObject().put("type", type).put("params", type.equals("ridge")
        ? new JsonObject().put("alpha", alpha) : new JsonObject());
    JsonObject def = definition("diabetes", null, exp.getJsonArray("features"), model);
    def.getJsonObject("preprocessing").put("steps", new JsonArray());
    run(partitioned(def, partitions)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      assertPartitions(partitions, r.getJsonObject("training"));
      JsonObject m = r.getJsonObject("training").getJsonObject("evaluation").getJsonObject("metrics");
      JsonObject want = exp.getJsonObject(key);
      assertEquals(want.getDouble("r2"), m.getDouble("r2"), 0.005, "R²");
      assertEquals(want.getDouble("rmse"), m.getDouble("rmse"), 0.01 * want.getDouble("rmse"), "RMSE");
      assertTrue(m.getDouble("mae") > 0);
      JsonObject pva = r.getJsonObject("training").getJsonObject("evaluation").getJsonObject("predictedVsActual");
      assertEquals(exp.getInteger("n_test"), pva.getInteger("rows"));
      assertEquals(exp.getInteger("n_test"), pva.getJsonArray("actual").size(), "fewer rows than the bound: all");
      assertEquals(pva.getJsonArray("actual").size(), pva.getJsonArray("predicted").size());
      assertTrue(pva.getJsonObject("residuals").getDouble("std") > 0);
      JsonObject fitted = r.getJsonObject("training").getJsonObject("model");
      assertCoefficients(fitted, exp.getJsonArray("features").size());
      assertTrue(!fitted.getJsonArray("coefficients").getJsonObject(0).containsKey("class"));
      ctx.completeNow();
    })));
  }
}
