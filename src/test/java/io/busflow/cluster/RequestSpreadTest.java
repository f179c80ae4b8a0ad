package io.busflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorRef;
import io.busflow.actor.Actors;
import io.busflow.config.ActorConfig;
import io.busflow.testkit.FnActor;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests spread over the nodes that host an actor in proportion to their instances, also when the nodes
 * host different numbers of them and when a node joins the work later — as operators scale out. With
 * Vert.x 5.1.6's own weights a node with one instance beside a node with two got nothing
 * ({@link BusflowClusterManager}); three members of one cluster in this JVM.
 */
@ExtendWith(VertxExtension.class)
class RequestSpreadTest {

  private static final int REQUESTS = 90;
  private List<Vertx> nodes;

  @BeforeEach
  void start(VertxTestContext ctx) {
    TestCluster.start(3).onSuccess(n -> nodes = n).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    TestCluster.stop(nodes).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<?> deploy(Vertx node, String address, int instances, String name) {
    return Actors.deploy(node, ActorConfig.defaults(name, address).withInstances(instances),
        () -> new FnActor(address, msg -> Future.succeededFuture(name)));
  }

  /** {@code n} asks from {@code from}; how many each node answered. */
  private static Future<Map<String, Integer>> ask(Vertx from, String address, int n) {
    Promise<Map<String, Integer>> p = Promise.promise();
    from.getOrCreateContext().runOnContext(v -> {
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(ActorRef.of(from, address).ask(i));
      }
      Future.all(all).map(x -> {
        Map<String, Integer> counts = new TreeMap<>();
        all.forEach(f -> counts.merge(f.result(), 1, Integer::sum));
        return counts;
      }).onComplete(p);
    });
    return p.future();
  }

  /**
   * The sender first hears from both nodes (a registration reaches it a moment after it is made, and the
   * update that completes its view rebuilds its round robin); then any 90 consecutive requests, a whole
   * number of the 2 + 1 cycle, split exactly 60 / 30.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodesWithOneAndTwoInstances_getAThirdAndTwoThirdsOfTheRequests(VertxTestContext ctx) {
    String address = "test.spread." + UUID.randomUUID();
    deploy(nodes.get(1), address, 2, "two")
        .compose(d -> deploy(nodes.get(2), address, 1, "one"))
        .compose(d -> untilAnswers(nodes.get(0), address, "one", 100))
        .compose(v -> untilAnswers(nodes.get(0), address, "two", 100))
        .compose(v -> ask(nodes.get(0), address, REQUESTS))
        .onComplete(ctx.succeeding(counts -> ctx.verify(() -> {
          assertEquals(Map.of("one", REQUESTS / 3, "two", 2 * REQUESTS / 3), counts);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aNodeThatJoinsTheWorkLater_getsItsShare(VertxTestContext ctx) {
    String address = "test.spread." + UUID.randomUUID();
    deploy(nodes.get(1), address, 2, "first")
        .compose(d -> ask(nodes.get(0), address, 10))
        .compose(before -> deploy(nodes.get(2), address, 1, "later").compose(d -> untilAnswers(nodes.get(0), address, "later", 100)))
        .compose(v -> ask(nodes.get(0), address, REQUESTS))
        .onComplete(ctx.succeeding(counts -> ctx.verify(() -> {
          assertTrue(counts.getOrDefault("later", 0) >= REQUESTS / 6, "the later node got too little: " + counts);
          assertTrue(counts.getOrDefault("first", 0) >= REQUESTS / 3, "the first node got too little: " + counts);
          ctx.completeNow();
        })));
  }

  /**
   * Asks from {@code from} until {@code name} answers, or {@code attempts} run out: the node that sends learns
   * of a registration elsewhere a moment after it is made.
   */
  private static Future<Void> untilAnswers(Vertx from, String address, String name, int attempts) {
    return ask(from, address, 1).compose(counts -> counts.containsKey(name) || attempts <= 0
        ? Future.<Void>succeededFuture() : from.timer(20).compose(t -> untilAnswers(from, address, name, attempts - 1)));
  }
}
