package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.DecadeStage;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator runs at most {@code maxRunningJobs} jobs at once: one more run request is refused at once with
 * {@code MAILBOX_FULL} naming the option (a 503 over HTTP), and accepted again once a job has ended. Here the limit is
 * one, and the running job waits on a stage actor that never answers, so that it is running for certain.
 */
@ExtendWith(VertxExtension.class)
class JobLimitTest {

  private static final String NEVER = "test.limit.never";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pastMaxRunningJobs_aRunIsRefusedAtOnce_andAcceptedAgainOnceOneHasEnded(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 500, 1, null);
    JsonObject options = Stages.options(dir).put("maxRunningJobs", 1);
    Stages stages = new Stages();
    ActorRef coordinator = ActorRef.of(vertx, PipelineProtocol.ADDRESS);
    JsonObject held = JobContract.churnPipeline().put("name", "held").put("mode", "train").put("report", "held.json");
    held.getJsonObject("preprocessing").put("path", "held-pp.json").getJsonArray("steps").getList()
        .add(0, ActorStepDefinitionTest.actor(NEVER));
    held.getJsonObject("model").put("path", "held-model.json");
    JsonObject next = JobContract.churnPipeline().put("name", "next").put("mode", "train").put("report", "next.json");
    next.getJsonObject("preprocessing").put("path", "next-pp.json");
    next.getJsonObject("model").put("path", "next-model.json");
    Promise<Object> refusal = Promise.promise();
    onContext(vertx, () -> stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> vertx.deployVerticle(new DecadeStage(NEVER, DecadeStage.Behaviour.NEVER_ANSWER)))
        .compose(v -> coordinator.<JsonObject>ask(run(held, "held")))
        .compose(started -> coordinator.ask(run(next, "next")).transform(ar -> {
          refusal.complete(ar.succeeded() ? ar.result() : ar.cause());
          return coordinator.<JsonObject>ask(new JsonObject().put("op", "cancel").put("job", "held"));
        }))
        .compose(cancelling -> awaitEnd(vertx, coordinator, "held"))
        .compose(heldEnd -> coordinator.<JsonObject>ask(run(next, "next"))
            .compose(started -> awaitEnd(vertx, coordinator, "next"))
            .map(nextEnd -> List.of(heldEnd, nextEnd))))
        .onComplete(ctx.succeeding(ends -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, refusal.future().result());
          assertEquals(ErrorCode.MAILBOX_FULL, e.code(), e.getMessage());
          assertTrue(e.getMessage().startsWith("coordinator 'pipeline' is at its limit of 1 running jobs "
              + "(actors.pipeline.options.maxRunningJobs); run job 'next' again when one has ended"), e.getMessage());
          assertEquals("cancelled", ends.get(0).getString("state"), ends.get(0).encodePrettily());
          assertEquals("succeeded", ends.get(1).getString("state"), ends.get(1).encodePrettily());
          ctx.completeNow();
        })));
  }

  private static JsonObject run(JsonObject definition, String job) {
    return new JsonObject().put("op", "run").put("definition", definition).put("job", job);
  }

  private static <T> Future<T> onContext(Vertx vertx, java.util.function.Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private static Future<JsonObject> awaitEnd(Vertx vertx, ActorRef coordinator, String job) {
    return coordinator.<JsonObject>ask(new JsonObject().put("op", "status").put("job", job))
        .compose(s -> {
          if (!"running".equals(s.getString("state"))) {
            return Future.succeededFuture(s);
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(50, id -> later.complete());
          return later.future().compose(v -> awaitEnd(vertx, coordinator, job));
        });
  }
}
