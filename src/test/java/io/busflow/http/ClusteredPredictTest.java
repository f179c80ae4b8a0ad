package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
}
