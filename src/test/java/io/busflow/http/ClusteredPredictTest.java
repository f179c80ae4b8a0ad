package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorRef;
import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predict route on one member of a two-member cluster, the preprocessor, model and coordinator on the
 * other: records, feature batches and predictions cross the wire, and the stages learn the saved state from
 * the route's load requests.
 */
@ExtendWith(VertxExtension.class)
class ClusteredPredictTest {

  private static final Path DATA = Path.of("data").toAbsolutePath();

  @TempDir
  static Path dir;
  private static List<Vertx> nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestCluster.startNow(2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.stopNow(nodes);
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void predictions_withTheStagesOnAnotherMember_equalTheBatchJobs(VertxTestContext ctx) throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("out"));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.remove("report");
    Files.writeString(pipelines.resolve("churn-demo.json"), demo.encode());
    JsonObject options = new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())).put("pipelines", pipelines.toString());
    Vertx stagesNode = nodes.get(0);
    Vertx httpNode = nodes.get(1);
    HttpBridge bridge = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)), List.of(),
        List.of(new PredictApi(new PredictionService(httpNode, pipelines.toString(),
            new DataRoots("roots", List.of(dir.resolve("out"), DATA)), Duration.ofSeconds(1)))));
    List<JsonObject> rows = PredictApiTest.csvRecords(DATA.resolve("churn-new.csv"), 100);
    Stages stages = new Stages();
    JsonObject[] report = new JsonObject[1];
    stages.deployStages(stagesNode, options)
        .compose(v -> stages.deployCoordinator(stagesNode, options))
        .compose(v -> PipelineClient.run(httpNode, new PipelineProtocol.Run("churn-demo", null, null, new JsonObject()),
            p -> { }))
        .compose(r -> {
          report[0] = r;
          return httpNode.deployVerticle(bridge);
        })
        .compose(id -> WebClient.create(httpNode).post(bridge.actualPort(), "127.0.0.1",
            "/api/v1/pipelines/churn-demo/predict").sendJsonObject(new JsonObject().put("records",
            new JsonArray(new ArrayList<>(rows)))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", report[0].getString("state"), report[0].encodePrettily());
          assertEquals(200, r.statusCode(), r.bodyAsString());
          PredictApiTest.assertSameAsBatchOutput(r.bodyAsJsonObject().getJsonArray("predictions"),
              Path.of(report[0].getString("output")));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aMemberThatLeavesWithPredictionsInFlight_theyAreSentAgainToTheStagesLeft_notLeftToTimeOut(VertxTestContext ctx)
      throws Exception {
    List<Vertx> three = TestCluster.startNow(3);
    Vertx stagesNode = three.get(0);
    Vertx doomed = three.get(1);
    Vertx httpNode = three.get(2);
    Path pipelines = Files.createDirectories(dir.resolve("loss/pipelines"));
    Path out = Files.createDirectories(dir.resolve("loss/out"));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.remove("report");
    Files.writeString(pipelines.resolve("churn-demo.json"), demo.encode());
    JsonObject options = new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
        .put("outputRoots", new JsonArray().add(out.toString())).put("pipelines", pipelines.toString());
    // a reply that does not come is a 504 after a minute: far past the test's wait for the members' view to settle
    HttpBridge bridge = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("requestTimeoutMs", 60_000)), List.of(),
        List.of(new PredictApi(new PredictionService(httpNode, pipelines.toString(),
            new DataRoots("roots", List.of(out, DATA)), Duration.ofSeconds(1)))));
    List<JsonObject> rows = PredictApiTest.csvRecords(DATA.resolve("churn-new.csv"), 8);
    Stages stages = new Stages();
    AtomicInteger swallowed = new AtomicInteger();
    stages.deployStages(stagesNode, options)
        .compose(v -> stages.deployCoordinator(stagesNode, options))
        .compose(v -> PipelineClient.run(httpNode, new PipelineProtocol.Run("churn-demo", null, null, new JsonObject()),
            p -> { }))
        .compose(r -> httpNode.deployVerticle(bridge))
        .compose(id -> predict(httpNode, bridge, rows.get(0))) // loads the saved states into the stages
        .compose(first -> dyingPreprocessor(doomed, swallowed))
        .compose(v -> waves(httpNode, bridge, rows, swallowed, new ArrayList<>(), 20))
        .eventually(() -> stages.undeployAll())
        .eventually(() -> TestCluster.stop(List.of(stagesNode, httpNode))
            .eventually(() -> doomed.close().otherwiseEmpty()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertTrue(swallowed.get() >= 1, "a request reached the member that left: " + swallowed.get());
          for (HttpResponse<Buffer> r : all) {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals(1, r.bodyAsJsonObject().getJsonArray("predictions").size(), r.bodyAsString());
          }
          ctx.completeNow();
        })));
  }

  /**
   * A preprocessor on {@code node} that takes requests and dies with them, as a member killed mid-request would: it
   * leaves the cluster abruptly ({@link TestCluster#terminate}; a closed node would answer what it still had queued).
   */
  private static Future<Void> dyingPreprocessor(Vertx node, AtomicInteger swallowed) {
    ActorRef.of(node, StageProtocol.PREPROCESS_ADDRESS); // registers busflow's codecs there, as a busflow node has
    return node.eventBus().consumer(StageProtocol.PREPROCESS_ADDRESS, m -> {
      if (swallowed.incrementAndGet() == 1) {
        TestCluster.terminate(node);
      }
    }).completion();
  }

  /**
   * Sends one predict request per row at once, again until a wave had one swallowed by the member that leaves (Vert.x
   * spreads requests by registrations, and the stage member has more), at most {@code left} waves; all the answers.
   */
  private static Future<List<HttpResponse<Buffer>>> waves(Vertx node, HttpBridge bridge, List<JsonObject> rows,
      AtomicInteger swallowed, List<HttpResponse<Buffer>> answers, int left) {
    return Future.all(rows.stream().map(row -> predict(node, bridge, row)).toList()).compose(all -> {
      answers.addAll(all.list());
      return swallowed.get() > 0 || left <= 1 ? Future.succeededFuture(answers)
          : waves(node, bridge, rows, swallowed, answers, left - 1);
    });
  }

  private static Future<HttpResponse<Buffer>> predict(Vertx node, HttpBridge bridge, JsonObject record) {
    return WebClient.create(node).post(bridge.actualPort(), "127.0.0.1", "/api/v1/pipelines/churn-demo/predict")
        .sendJsonObject(new JsonObject().put("records", new JsonArray().add(record)));
  }
}
