package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ErrorCode;
import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.DecadeStage;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's own stage actor as a pipeline step ({@link StageProtocol}), written once: subclasses say where busflow's
 * stages and the user's actor live ({@link #stagesHost()}) and where the coordinator runs
 * ({@link #coordinatorHost()}) — one node, or two cluster members, where every batch crosses the wire to the actor
 * and back. A job and the predict route through the actor give exactly what the same column read from the file
 * gives.
 */
abstract class UserStageContract {

  protected abstract Vertx stagesHost();

  protected abstract Vertx coordinatorHost();

  protected abstract Path dir();

  /** Receives the test's own Vert.x instance before anything is deployed; a cluster ignores it. */
  protected void useVertx(Vertx vertx) {}

  private final Stages stages = new Stages();
  private final List<String> userDeployments = new ArrayList<>();
  /** A fresh address per test, so that tests never meet each other's actors. */
  private final String address = "acme.decade." + UUID.randomUUID();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    useVertx(vertx);
    Files.createDirectories(dir().resolve("out"));
    Files.createDirectories(dir().resolve("pipelines"));
    ChurnData.write(dir().resolve("churn.csv"), 1500, 1, null);
    ChurnData.write(dir().resolve("churn-new.csv"), 500, 2, null);
    withDecadeColumn(dir().resolve("churn.csv"), dir().resolve("churn-decade.csv"));
    withDecadeColumn(dir().resolve("churn-new.csv"), dir().resolve("churn-new-decade.csv"));
    JsonObject options = Stages.options(dir());
    stages.deployStages(stagesHost(), options)
        .compose(v -> stages.deployCoordinator(coordinatorHost(), options))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void undeploy(VertxTestContext ctx) {
    Future.all(userDeployments.stream().map(id -> stagesHost().undeploy(id)).toList())
        .compose(v -> stages.undeployAll()).onComplete(ctx.succeedingThenComplete());
  }

  /** {@code from} with the column {@code decade} that {@link DecadeStage} makes, computed from the text. */
  private static void withDecadeColumn(Path from, Path to) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(from)) {
      String age = line.split(",", -1)[1];
      out.add(line + "," + (out.isEmpty() ? "decade" : age.isEmpty() ? "" : Integer.toString(Integer.parseInt(age) / 10)));
    }
    Files.write(to, out);
  }

  private Future<String> deployUserStage(DecadeStage.Behaviour behaviour) {
    return stagesHost().deployVerticle(new DecadeStage(address, behaviour)).onSuccess(userDeployments::add);
  }

  /** The churn pipeline {@code name} with a {@code decade} feature, made by the actor or read from the file. */
  private JsonObject pipeline(String name, boolean byActor) {
    JsonArray cols = new JsonArray().add("age").add("income").add("decade");
    JsonArray steps = new JsonArray()
        .add(JobContract.step("impute", new JsonObject().put("strategy", "median").put("columns", cols)))
        .add(JobContract.step("scale", new JsonObject().put("method", "standard").put("columns", cols.copy())))
        .add(JobContract.step("onehot", new JsonObject().put("columns", new JsonArray().add("country"))));
    if (byActor) {
      steps.getList().add(0, ActorStepDefinitionTest.actor(address));
    }
    String suffix = byActor ? "" : "-decade";
    return JobContract.churnPipeline().put("name", name).put("source", "churn" + suffix + ".csv")
        .put("preprocessing", new JsonObject().put("steps", steps).put("path", name + "-pp.json"))
        .put("model", new JsonObject().put("type", "logistic").put("path", name + "-model.json"))
        .put("score", new JsonObject().put("source", "churn-new" + suffix + ".csv").put("evaluate", true))
        .put("output", new JsonObject().put("path", name + "-scored.csv")).put("report", name + "-report.json")
        .put("stageWaitMs", 0);
  }

  private <T> Future<T> onCoordinatorNode(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    coordinatorHost().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private Future<JsonObject> run(JsonObject definition) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    return onCoordinatorNode(() -> PipelineClient.run(coordinatorHost(), run, p -> { }));
  }

  /** Predictions of pipeline {@code name} (its file written to the pipelines directory) for {@code records}. */
  private Future<JsonArray> predict(JsonObject definition, JsonArray records) {
    String name = definition.getString("name");
    return onCoordinatorNode(() -> coordinatorHost().fileSystem()
        .writeFile(dir().resolve("pipelines/" + name + ".json").toString(), definition.toBuffer())
        .compose(v -> new PredictionService(coordinatorHost(), dir().resolve("pipelines").toString(),
            new DataRoots("output and data roots", List.of(dir().resolve("out"), dir())), Duration.ZERO)
            .predict(name, new JsonObject().put("records", records), "test", Duration.ofSeconds(30)))
        .map(body -> body.getJsonArray("predictions")));
  }

  private static JsonArray records(boolean withDecade) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < 20; i++) {
      JsonObject r = new JsonObject().put("customer_id", "R" + i).put("age", i == 3 ? null : 20 + 3 * i)
          .put("income", 20_000 + 1500 * i).put("country", new String[] {"FR", "DE", "ES"}[i % 3])
          .put("is_active", i % 2);
      if (withDecade && i != 3) {
        r.put("decade", (20 + 3 * i) / 10);
      }
      out.add(r);
    }
    return out;
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void actorStep_trainScoreAndPredict_giveWhatTheSameColumnReadFromTheFileGives(VertxTestContext ctx) {
    List<JsonObject> reports = new ArrayList<>();
    deployUserStage(DecadeStage.Behaviour.ADD_DECADE)
        .compose(id -> run(pipeline("by-actor", true))).onSuccess(reports::add)
        .compose(r -> run(pipeline("from-file", false))).onSuccess(reports::add)
        .compose(r -> predict(pipeline("by-actor", true), records(false)))
        .compose(byActor -> predict(pipeline("from-file", false), records(true)).map(fromFile -> List.of(byActor, fromFile)))
        .onComplete(ctx.succeeding(predicted -> ctx.verify(() -> {
          for (JsonObject r : reports) {
            assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          }
          JsonArray features = reports.get(0).getJsonObject("training").getJsonObject("preprocessor").getJsonArray("features");
          assertTrue(features.contains("decade"), "the actor's column is a feature: " + features);
          assertEquals(features, reports.get(1).getJsonObject("training").getJsonObject("preprocessor").getJsonArray("features"));
          assertEquals(500L, reports.get(0).getJsonObject("scoring").getLong("rowsWritten"));
          assertEquals(Files.readString(dir().resolve("out/from-file-scored.csv")),
              Files.readString(dir().resolve("out/by-actor-scored.csv")), "scored through the actor as from the file");
          assertEquals(20, predicted.get(0).size());
          assertEquals(predicted.get(1), predicted.get(0), "predicted through the actor as with the column given");
          ctx.completeNow();
        })));
  }

  /** Asserts a failed job with {@code code} whose message has every one of {@code parts}. */
  private static void assertFailed(JsonObject report, ErrorCode code, String... parts) {
    assertEquals("failed", report.getString("state"), report.encodePrettily());
    JsonObject error = report.getJsonObject("error");
    assertEquals(code.name(), error.getString("code"), error.encode());
    for (String part : parts) {
      assertTrue(error.getString("message").contains(part), "'" + part + "' in: " + error.getString("message"));
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void noActorAtTheAddress_failsTheJobWithNoActor_namingTheStepAndTheAddress(VertxTestContext ctx) {
    run(pipeline("nobody", true)).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertFailed(report, ErrorCode.NO_ACTOR, "preprocessing.steps[0]", "'" + address + "'", "Writing a stage actor");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void anActorThatNeverAnswers_failsTheJobWithTimeout_namingTheAddress(VertxTestContext ctx) {
    deployUserStage(DecadeStage.Behaviour.NEVER_ANSWER)
        .compose(id -> run(pipeline("silent", true).put("stageTimeoutMs", 300)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertFailed(report, ErrorCode.TIMEOUT, "'" + address + "'", "300 ms", "stageTimeoutMs");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void anActorAnsweringAnotherRowCount_failsTheJobWithBadRequest_namingTheAddressAndBothCounts(VertxTestContext ctx) {
    deployUserStage(DecadeStage.Behaviour.DROP_A_ROW)
        .compose(id -> run(pipeline("short", true)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertFailed(report, ErrorCode.BAD_REQUEST, "'" + address + "'", "answered 299 rows for a batch of 300");
          ctx.completeNow();
        })));
  }
}
