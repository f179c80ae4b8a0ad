package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fitted states travel by reference: on a cluster of two stage members (two preprocessor and two model
 * instances each) and a coordinator member, a job's requests name the fitted preprocessor and model by id and
 * by the member whose store has them; the stage member that did not fit one fetches it from that member's
 * store — exactly once per member and kind, though both its instances get batches at the same time — and no
 * request needs the state inline.
 */
@ExtendWith(VertxExtension.class)
class ArtifactReferenceTest {

  @TempDir
  static Path dir;
  private static List<Vertx> nodes;
  private final Stages stages = new Stages();

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestCluster.startNow(3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.stopNow(nodes);
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void theMemberThatDidNotFitAState_fetchesItOnceFromTheOneThatDid(VertxTestContext ctx) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir.resolve("churn-new.csv"), 700, 2, "PT");
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    Vertx coordinator = nodes.get(2);
    stages.deployStages(nodes.get(0), options)
        .compose(v -> stages.deployStages(nodes.get(1), options))
        .compose(v -> stages.deployCoordinator(coordinator, options))
        .compose(v -> run(coordinator, JobContract.churnPipeline()))
        .eventually(() -> stages.undeployAll())
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          for (String kind : List.of("preprocessor", "model")) {
            List<Long> fetched = new ArrayList<>();
            long served = 0;
            for (Vertx stageNode : nodes.subList(0, 2)) {
              fetched.add(StateStore.of(stageNode, kind).fetched());
              served += StateStore.of(stageNode, kind).served();
            }
            assertEquals(1, fetched.stream().mapToLong(Long::longValue).sum(),
                "one stage member fitted the " + kind + ", the other fetched it once: " + fetched);
            assertEquals(1, served, "the " + kind + " crossed the wire once");
          }
          String pp = report.getJsonObject("training").getJsonObject("preprocessor").getString("id");
          for (Vertx stageNode : nodes.subList(0, 2)) {
            assertNotNull(StateStore.of(stageNode, "preprocessor").get(pp), "both stage members have " + pp);
          }
          ctx.completeNow();
        })));
  }

  private static Future<JsonObject> run(Vertx coordinator, JsonObject definition) {
    Promise<JsonObject> p = Promise.promise();
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    coordinator.getOrCreateContext().runOnContext(v -> PipelineClient.run(coordinator, run, e -> { }).onComplete(p));
    return p.future();
  }
}
