package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.config.Threading;
import io.busflow.pipeline.coordinator.PipelineActor;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.stage.StageActor;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator instances, one on each member of a cluster (two coordinator nodes behind their HTTP
 * bridges): status and cancel requests reach either, and either answers for every job.
 */
@ExtendWith(VertxExtension.class)
class MultiCoordinatorTest {

  @TempDir
  Path dir;
  private List<Vertx> nodes;
  private final Stages stages = new Stages();

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 1200, 1, null);
    ChurnData.write(dir.resolve("churn-new.csv"), 600, 2, null);
    JsonObject options = Stages.options(dir);
    TestCluster.start(2).compose(n -> {
      nodes = n;
      return Future.all(List.of(
          stages.deploy(n.get(0), "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PipelineActor::new),
          stages.deploy(n.get(1), "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PipelineActor::new),
          stages.deployLoader(n.get(0), options),
          stages.deploy(n.get(0), "preprocess", StageProtocol.PREPROCESS_ADDRESS, 1, Threading.WORKER, options,
              StageActor::preprocessor),
          stages.deploy(n.get(0), "model", StageProtocol.MODEL_ADDRESS, 1, Threading.WORKER, options, StageActor::model)));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    stages.undeployAll().compose(v -> TestCluster.stop(nodes)).onComplete(ctx.succeedingThenComplete());
  }

  private static <T> Future<T> on(Vertx vertx, Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  /** Asks the coordinator address from member {@code i}; Vert.x picks either instance. */
  private Future<JsonObject> ask(int i, JsonObject request) {
    return on(nodes.get(i), () -> ActorRef.of(nodes.get(i), PipelineProtocol.ADDRESS).ask(request));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void statusAndCancel_reachingEitherCoordinator_areAnsweredForEveryJob(VertxTestContext ctx) {
    var run = new PipelineProtocol.Run(null, JobContract.churnPipeline(), "multi-1", new JsonObject());
    on(nodes.get(1), () -> PipelineClient.run(nodes.get(1), run, x -> { }))
        .compose(report -> {
          // 16 requests from both members: with two instances, about half reach the one without the job
          List<Future<JsonObject>> asked = new ArrayList<>();
          for (int i = 0; i < 16; i++) {
            String op = i % 4 == 3 ? "cancel" : "status";
            asked.add(ask(i % 2, new JsonObject().put("op", op).put("job", "multi-1")));
          }
          return Future.all(asked).map(all -> all.<JsonObject>list());
        })
        .compose(answers -> ask(0, new JsonObject().put("op", "status").put("job", "never-ran"))
            .transform(ar -> Future.succeededFuture(List.of(answers, ar))))
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          @SuppressWarnings("unchecked") List<JsonObject> answers = (List<JsonObject>) got.get(0);
          for (JsonObject a : answers) {
            assertEquals("succeeded", a.getString("state"), a.encodePrettily());
            assertEquals("multi-1", a.getString("job"), a.encodePrettily());
          }
          var unknown = (io.vertx.core.AsyncResult<?>) got.get(1);
          ActorException e = assertInstanceOf(ActorException.class, unknown.cause());
          assertEquals(ErrorCode.NOT_FOUND, e.code());
          assertTrue(e.getMessage().contains("no job 'never-ran' on any coordinator"), e.getMessage());
          ctx.completeNow();
        })));
  }
}
