package io.busflow.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stage fetches a state it lacks from the node that has it; when that node is gone, or dies while it is being
 * asked, the fetch fails {@code NOT_FOUND} at once (the caller then sends the state itself), instead of waiting out
 * the fetch's timeout: Vert.x fails no request in flight to a member that left.
 */
@ExtendWith(VertxExtension.class)
class StateFetchTest {

  @Test
  @Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
  void aFetchFromAMemberThatLeavesMidRequest_failsNotFoundAtOnce(VertxTestContext ctx) {
    Checkpoint asked = ctx.checkpoint();
    Checkpoint failed = ctx.checkpoint();
    TestCluster.start(2).onComplete(ctx.succeeding(nodes -> {
      Vertx origin = nodes.get(0);
      Vertx fetcher = nodes.get(1);
      String originId = StateStore.origin(origin);
      // the origin takes the request and never answers: it leaves as a node killed while answering does
      origin.eventBus().<JsonObject>consumer(StateStore.address(originId), m -> {
        asked.flag();
        TestCluster.terminate(origin);
      }).completion().onComplete(ctx.succeeding(v -> fetcher.getOrCreateContext().runOnContext(x ->
          StateStore.of(fetcher, "model").fetch(fetcher, fetcher.getOrCreateContext(), "m1", originId)
              .onComplete(ar -> ctx.verify(() -> {
                assertTrue(ar.failed(), "the origin never answered");
                ActorException e = (ActorException) ar.cause();
                assertEquals(ErrorCode.NOT_FOUND, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("model 'm1'") && e.getMessage().contains("left the cluster")
                    && e.getMessage().contains("send its state with the request"), e.getMessage());
                failed.flag();
                fetcher.close();
                origin.close();
              })))));
    }));
  }

  @Test
  @Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
  void aFetchFromANodeNotInTheCluster_failsNotFoundNamingIt(VertxTestContext ctx) {
    String gone = UUID.randomUUID().toString();
    TestCluster.start(1).onComplete(ctx.succeeding(nodes -> {
      Vertx node = nodes.get(0);
      node.getOrCreateContext().runOnContext(x ->
          StateStore.of(node, "preprocessor").fetch(node, node.getOrCreateContext(), "p1", gone)
              .onComplete(ctx.failing(t -> ctx.verify(() -> {
                ActorException e = (ActorException) t;
                assertEquals(ErrorCode.NOT_FOUND, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("node '" + gone + "' is no longer in the cluster"),
                    e.getMessage());
                ctx.completeNow();
                node.close();
              }))));
    }));
  }
}
