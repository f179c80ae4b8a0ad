package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.io.BatchReaders;
import io.busflow.data.io.FixedDecimals;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.Schema;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end jobs, written once: subclasses say where the stages live ({@link #stagesHost()}) and where
 * the coordinator and its client run ({@link #coordinatorHost()}) — one node, or two cluster members.
 */
abstract class JobContract {

  protected abstract Vertx stagesHost();

  protected abstract Vertx coordinatorHost();

  protected abstract Path dir();

  /** Receives the test's own Vert.x instance before anything is deployed; a cluster ignores it. */
  protected void useVertx(Vertx vertx) {}

  private final Stages stages = new Stages();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    useVertx(vertx);
    Files.createDirectories(dir().resolve("out"));
    ChurnData.write(dir().resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir().resolve("churn-new.csv"), 700, 2, "PT");
    JsonObject options = Stages.options(dir()).put("pipelines", dir().resolve("pipelines").toString());
    stages.deployStages(stagesHost(), options)
        .compose(v -> stages.deployCoordinator(coordinatorHost(), options))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void undeploy(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  static JsonObject churnPipeline() {
    JsonArray steps = new JsonArray()
        .add(step("impute", new JsonObject().put("strategy", "median").put("columns", new JsonArray().add("age").add("income"))))
        .add(step("scale", new JsonObject().put("method", "standard").put("columns", new JsonArray().add("age").add("income"))))
        .add(step("onehot", new JsonObject().put("columns", new JsonArray().add("country"))));
    return new JsonObject().put("name", "churn-test").put("mode", "train-then-score").put("source", "churn.csv")
        .put("label", "churned").put("id", "customer_id").put("split", new JsonObject().put("test", 0.25).put("seed", 7))
        .put("preprocessing", new JsonObject().put("steps", steps).put("path", "churn-pp.json"))
        .put("model", new JsonObject().put("type", "logistic").put("path", "churn-model.json"))
        .put("score", new JsonObject().put("source", "churn-new.csv").put("evaluate", true))
        .put("output", new JsonObject().put("path", "churn-scored.csv"))
        .put("report", "churn-report.json").put("batchSize", 300).put("batchesInFlight", 3);
  }

  static JsonObject step(String kind, JsonObject body) {
    return new JsonObject().put(kind, body);
  }

  protected <T> Future<T> onCoordinatorNode(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    coordinatorHost().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  Future<JsonObject> run(JsonObject definition, List<JsonObject> progress) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    return onCoordinatorNode(() -> PipelineClient.run(coordinatorHost(), run, progress::add));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void trainThenScore_writesPredictionsEqualToAnIndependentComputation_andAReport(VertxTestContext ctx) {
    List<JsonObject> progress = new ArrayList<>();
    run(churnPipeline(), progress).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily());
      JsonObject training = report.getJsonObject("training");
      assertEquals(2000L, training.getJsonObject("source").getLong("rowsRead"));
      long trainRows = training.getLong("trainRows");
      long testRows = training.getJsonObject("evaluation").getLong("rows");
      assertEquals(2000L, trainRows + testRows);
      assertTrue(testRows > 400 && testRows < 600, "about a quarter are test rows: " + testRows);
      double accuracy = training.getJsonObject("evaluation").getJsonObject("metrics").getDouble("accuracy");
      assertTrue(accuracy > 0.6, "the model learnt something: " + accuracy);
      JsonObject scoring = report.getJsonObject("scoring");
      assertEquals(700L, scoring.getLong("rowsWritten"));
      assertEquals(70L, scoring.getJsonObject("unknownLevels").getLong("country"), "every tenth row is 'PT'");
      assertEquals(report, new JsonObject(Files.readString(dir().resolve("out/churn-report.json"))).put("state",
          report.getString("state")));
      assertMatchesIndependentComputation();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void separateTestAndScoringFiles_progressTotalIsTheirRowsFromTheFirstPass(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-test.csv"), 500, 11, null);
    JsonObject def = churnPipeline().put("split", new JsonObject().put("testSource", "churn-test.csv"));
    List<JsonObject> progress = new ArrayList<>();
    run(def, progress).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily());
      long expected = 2000 + 2000 + 500 + 700;
      List<JsonObject> passes = progress.stream().filter(p -> p.getInteger("pass", 0) >= 1).toList();
      assertFalse(passes.isEmpty(), "progress was published");
      for (JsonObject p : passes) {
        assertEquals(expected, p.getLong("rowsTotal"), "fit, fit, the test file, the scoring file: " + p.encode());
      }
      assertEquals(expected, report.getLong("rowsDone"));
      ctx.completeNow();
    })));
  }

  private void assertMatchesIndependentComputation() throws IOException {
    Preprocessor pre = Preprocessor.fromState(state("out/churn-pp.json"));
    Model model = io.busflow.stage.ModelTypes.fromState(state("out/churn-model.json"));
    Batch raw = BatchReaders.readAll(dir().resolve("churn-new.csv"),
        ReadOptions.defaults().withSchema(Schema.of("customer_id", io.busflow.data.ColumnType.STRING)));
    Batch expected = model.predict(pre.transform(raw), "customer_id").batch();
    List<String> lines = Files.readAllLines(dir().resolve("out/churn-scored.csv"));
    assertEquals("customer_id,churned,probability,prediction", lines.get(0), "the label is kept");
    assertEquals(701, lines.size());
    for (int i = 0; i < 700; i++) {
      String want = expected.strings("customer_id").get(i) + "," + raw.column("churned").text(i) + ","
          + FixedDecimals.format(expected.numeric("p_1").get(i), 6) + ","
          + expected.column(Predictions.PREDICTION).text(i);
      assertEquals(want, lines.get(i + 1), "row " + i);
    }
  }

  private java.util.Map<String, Object> state(String file) throws IOException {
    return JsonShapes.toMap(new JsonObject(Files.readString(dir().resolve(file))));
  }
}
