package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.Threading;
import io.busflow.pipeline.coordinator.PipelineActor;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.stage.StageActor;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.FnActor;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator survives the loss of stage instances, on three cluster members in one JVM: member 0 runs
 * the coordinator, the loader and the preprocessors, member 1 two models; member 2 hosts what the test
 * makes fail. A job whose stage dies mid-pass completes, and writes exactly what a fault-free job wrote.
 */
@ExtendWith(VertxExtension.class)
class StageFailoverTest {

  private static final int ROWS = 12_000;

  @TempDir
  Path dir;
  private List<Vertx> nodes;
  private final Stages stages = new Stages();
  private JsonObject options;

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 3000, 1, null);
    ChurnData.write(dir.resolve("churn-big.csv"), ROWS, 3, null);
    options = Stages.options(dir);
    TestCluster.start(3).compose(n -> {
      nodes = n;
      return Future.all(
          stages.deploy(n.get(0), "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PipelineActor::new),
          stages.deployLoader(n.get(0), options),
          stages.deploy(n.get(0), "preprocess", StageProtocol.PREPROCESS_ADDRESS, 2, Threading.WORKER, options,
              StageActor::preprocessor),
          stages.deploy(n.get(1), "model", StageProtocol.MODEL_ADDRESS, 2, Threading.WORKER, options, StageActor::model));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    TestCluster.stopAfterLosses(stages, nodes).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject pipeline(String mode, String output) {
    JsonObject p = JobContract.churnPipeline().put("mode", mode).put("score", new JsonObject().put("source", "churn-big.csv"))
        .put("output", new JsonObject().put("path", output)).put("batchSize", 500).put("batchesInFlight", 4)
        .put("stageTimeoutMs", 120_000);
    p.remove("report");
    return p;
  }

  private Future<JsonObject> run(JsonObject definition) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    Promise<JsonObject> p = Promise.promise();
    nodes.get(0).getOrCreateContext().runOnContext(v -> PipelineClient.run(nodes.get(0), run, x -> { }).onComplete(p));
    return p.future();
  }

  /**
   * A model instance on member 2 that answers "ping" with "frozen", takes any other request and never answers
   * it: a node that froze, then died. Completes once member 0 routes requests to it.
   */
  private Future<?> deployFrozenModelThatDies(AtomicBoolean died) {
    Vertx doomed = nodes.get(2);
    return stages.deploy(doomed, "frozen-model", StageProtocol.MODEL_ADDRESS, 1, Threading.EVENT_LOOP, options,
        () -> new FnActor(StageProtocol.MODEL_ADDRESS, msg -> {
          if ("ping".equals(msg)) {
            return Future.succeededFuture("frozen");
          }
          if (died.compareAndSet(false, true)) {
            TestCluster.terminate(doomed); // its requests stay unanswered, as a killed JVM's
          }
          return Promise.promise().future();
        })).compose(d -> untilRouted(100));
  }

  /** Pings the model address from member 0 until the frozen instance answers (Vert.x learns of it lazily). */
  private Future<Void> untilRouted(int attempts) {
    Vertx from = nodes.get(0);
    return io.busflow.actor.ActorRef.of(from, StageProtocol.MODEL_ADDRESS).ask("ping", java.time.Duration.ofSeconds(5))
        .recover(t -> Future.succeededFuture("other"))
        .compose(r -> "frozen".equals(r) || attempts <= 0 ? Future.<Void>succeededFuture()
            : from.timer(50).compose(t -> untilRouted(attempts - 1)));
  }

  /**
   * Asks the model address from member 0 until it answers NO_ACTOR at once: Vert.x drops a request that
   * reaches a member after its consumer is gone, and member 0 learns of the unregistration a moment later.
   */
  private Future<Void> untilNoModel(int attempts) {
    Vertx from = nodes.get(0);
    return io.busflow.actor.ActorRef.of(from, StageProtocol.MODEL_ADDRESS).ask("ping", java.time.Duration.ofMillis(300))
        .transform(ar -> Future.succeededFuture(ar.cause() instanceof io.busflow.actor.ActorException e
            && e.code() == io.busflow.actor.ErrorCode.NO_ACTOR))
        .compose(gone -> gone || attempts <= 0 ? Future.<Void>succeededFuture()
            : from.timer(50).compose(t -> untilNoModel(attempts - 1)));
  }

  /** Everything undeployed, then member 0's coordinator, loader and one preprocessor again: no model anywhere. */
  private Future<?> withoutModels() {
    return stages.undeployAll().compose(v -> untilNoModel(100)).compose(v -> Future.all(
        stages.deploy(nodes.get(0), "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options,
            PipelineActor::new),
        stages.deployLoader(nodes.get(0), options),
        stages.deploy(nodes.get(0), "preprocess", StageProtocol.PREPROCESS_ADDRESS, 1, Threading.WORKER, options,
            StageActor::preprocessor)));
  }

  @Test
  @Timeout(value = 100, timeUnit = TimeUnit.SECONDS)
  void modelMemberDiesMidJob_requestsInFlightAreResentToSurvivors_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    AtomicBoolean died = new AtomicBoolean();
    run(pipeline("train-then-score", "reference.csv"))
        .compose(ref -> {
          ctx.verify(() -> assertEquals("succeeded", ref.getString("state"), ref.encodePrettily()));
          return deployFrozenModelThatDies(died);
        })
        .compose(v -> run(pipeline("score", "after-crash.csv")))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          assertTrue(died.get(), "the frozen model got requests");
          JsonObject requests = report.getJsonObject("batches");
          assertTrue(requests != null && requests.getInteger("membersLeft") >= 1, report.encodePrettily());
          assertTrue(requests.getJsonObject("stages").getJsonObject(StageProtocol.MODEL_ADDRESS).getLong("resent", 0L) >= 1, report.encodePrettily());
          assertSameRowsOnce(dir.resolve("out/reference.csv"), dir.resolve("out/after-crash.csv"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void modelNodeStopsWhileItsFitSessionIsFed_passStartsAgainElsewhere_sameModel(VertxTestContext ctx) {
    AtomicBoolean left = new AtomicBoolean();
    Vertx doomed = nodes.get(2);
    JsonObject train = pipeline("train", "unused.csv").put("source", "churn-big.csv");
    run(train)
        .compose(reference -> {
          ctx.verify(() -> assertEquals("succeeded", reference.getString("state"), reference.encodePrettily()));
          // the only model now lives on member 2, so the next fit session does too
          return withoutModels()
              .compose(v -> stages.deploy(doomed, "model", StageProtocol.MODEL_ADDRESS, 1, Threading.WORKER, options,
                  StageActor::model))
              .map(reference);
        })
        .compose(reference -> {
          Promise<JsonObject> done = Promise.promise();
          var run = new PipelineProtocol.Run(null, train, null, new JsonObject());
          nodes.get(0).getOrCreateContext().runOnContext(v -> PipelineClient.run(nodes.get(0), run, p -> {
            if ("fit model".equals(p.getString("phase")) && left.compareAndSet(false, true)) {
              stages.deploy(nodes.get(1), "model", StageProtocol.MODEL_ADDRESS, 1, Threading.WORKER, options, StageActor::model)
                  .onSuccess(d -> doomed.close()); // as SIGTERM does: its session drains, then refuses
            }
          }).onComplete(done));
          return done.future().map(report -> new JsonObject().put("reference", reference).put("report", report));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject report = both.getJsonObject("report");
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          assertTrue(left.get(), "member 2 stopped while the model was being fitted");
          assertTrue(report.getJsonObject("batches").getInteger("passesRestarted") >= 1, report.encodePrettily());
          assertEquals(both.getJsonObject("reference").getJsonObject("training").getJsonObject("model").getString("id"),
              report.getJsonObject("training").getJsonObject("model").getString("id"), "the same fit");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void noInstanceOfAStageLeft_jobWaitsStageWaitMs_thenFailsNamingTheStage(VertxTestContext ctx) {
    run(pipeline("train", "unused.csv"))
        .compose(trained -> withoutModels())
        .compose(v -> {
          long start = System.currentTimeMillis();
          return run(pipeline("score", "never.csv").put("stageWaitMs", 1500))
              .map(r -> r.put("tookMs", System.currentTimeMillis() - start));
        })
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("failed", report.getString("state"), report.encodePrettily());
          JsonObject error = report.getJsonObject("error");
          assertEquals("NO_ACTOR", error.getString("code"));
          String msg = error.getString("message");
          assertTrue(msg.contains("'busflow.model'") && msg.contains("stageWaitMs is 1500")
              && msg.contains("conf/nodes/model.json"), msg);
          assertTrue(report.getLong("tookMs") >= 1500, "waited: " + report.getLong("tookMs"));
          assertTrue(Files.notExists(dir.resolve("out/never.csv")));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void stageReturnsWithinStageWaitMs_jobCompletes(VertxTestContext ctx) {
    run(pipeline("train-then-score", "reference.csv"))
        .compose(ref -> withoutModels())
        .compose(v -> {
          Future<JsonObject> job = run(pipeline("score", "later.csv").put("stageWaitMs", 20_000));
          nodes.get(0).setTimer(1000, t -> stages.deploy(nodes.get(2), "model", StageProtocol.MODEL_ADDRESS, 1,
              Threading.WORKER, options, StageActor::model));
          return job;
        })
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          assertTrue(report.getJsonObject("batches").getJsonObject("stages").getJsonObject(StageProtocol.MODEL_ADDRESS).getLong("resent", 0L) >= 1,
              report.encodePrettily());
          assertSameRowsOnce(dir.resolve("out/reference.csv"), dir.resolve("out/later.csv"));
          ctx.completeNow();
        })));
  }

  /** Same lines in the same order, and every id exactly once. */
  static void assertSameRowsOnce(Path expected, Path actual) throws java.io.IOException {
    List<String> want = Files.readAllLines(expected);
    List<String> got = Files.readAllLines(actual);
    assertEquals(want.size(), got.size(), "row count");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), "line " + (i + 1));
      assertTrue(ids.add(got.get(i).split(",", 2)[0]), "id twice: " + got.get(i));
    }
  }
}
