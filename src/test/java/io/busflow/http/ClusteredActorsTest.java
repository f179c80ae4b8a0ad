package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import io.busflow.actor.ActorRef;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.cluster.ClusterConfigs;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/actors} on a two-member Hazelcast cluster on 127.0.0.1 (random cluster name) lists the
 * actors of both members, each with its node; the bridge runs on one member only.
 */
@ExtendWith(VertxExtension.class)
class ClusteredActorsTest {

  private static List<Vertx> nodes;
  /** How a further member joins alpha. */
  private static Config joinAt;

  /**
   * Two members on the test thread; the second joins the first at its actual port, so that other clusters on
   * this machine holding the ports Hazelcast probes first (5701–5703) cannot keep the two apart.
   */
  @BeforeAll
  static void startCluster() throws Exception {
    String name = "busflow-test-" + UUID.randomUUID();
    Vertx alpha = await(TestCluster.startMember(name));
    HazelcastClusterManager hz = (HazelcastClusterManager) ((VertxInternal) alpha).clusterManager();
    int port = hz.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    Config config = ClusterConfigs.loopback(name);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of("127.0.0.1:" + port));
    Vertx beta = await(Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered());
    nodes = List.of(alpha, beta);
    joinAt = config;
    ActorRegistry.of(alpha).nodeName("alpha");
    ActorRegistry.of(beta).nodeName("beta");
  }

  /** One member after the other, so that Hazelcast hands partitions over instead of reporting them lost. */
  @AfterAll
  static void stopCluster() throws Exception {
    for (Vertx node : nodes) {
      await(node.close());
    }
  }

  /**
   * Every test starts with alpha and beta alone: a member an earlier test added has left, as alpha sees the cluster
   * (its leaving completes on that member before every other member has dropped it).
   */
  @BeforeEach
  void twoMembers(VertxTestContext ctx) {
    untilMembers(nodes.get(0), 2, 600).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> untilMembers(Vertx member, int count, int looks) {
    int now = ((VertxInternal) member).clusterManager().getNodes().size();
    if (now == count) {
      return Future.succeededFuture();
    }
    return looks <= 0 ? Future.failedFuture("the cluster has " + now + " members, not " + count)
        : member.timer(50).compose(t -> untilMembers(member, count, looks - 1));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void actors_listsEveryActorOfEveryMemberWithItsNode(VertxTestContext ctx) {
    Vertx alpha = nodes.get(0);
    Vertx beta = nodes.get(1);
    Future.all(
            Bridges.actor(alpha, Bridges.config("echo", "test.cluster.echo"), Future::succeededFuture),
            Bridges.actor(beta, Bridges.config("echo", "test.cluster.echo"), Future::succeededFuture),
            Bridges.actor(beta, Bridges.config("scorer", "test.cluster.scorer"), Future::succeededFuture))
        .compose(v -> ActorRef.of(beta, "test.cluster.scorer").ask(new JsonObject()))
        .compose(v -> Bridges.start(alpha, new JsonObject(), List.of()))
        .compose(port -> WebClient.create(alpha).get(port, "127.0.0.1", "/api/v1/actors").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          JsonObject body = r.bodyAsJsonObject();
          assertEquals("alpha", body.getString("node"));
          JsonArray members = body.getJsonArray("nodes");
          assertEquals(2, members.size(), members.encode());
          assertEquals(List.of("alpha", "beta"), members.stream().map(n -> ((JsonObject) n).getString("node")).toList());
          members.forEach(n -> assertNull(((JsonObject) n).getValue("error"), members.encode()));
          JsonArray actors = body.getJsonArray("actors");
          JsonObject echoAlpha = find(actors, "test.cluster.echo", "alpha");
          JsonObject echoBeta = find(actors, "test.cluster.echo", "beta");
          JsonObject scorer = find(actors, "test.cluster.scorer", "beta");
          assertEquals(1, echoAlpha.getInteger("instances"));
          assertEquals(1, echoBeta.getInteger("instances"));
          assertNotEquals(echoAlpha.getString("nodeId"), echoBeta.getString("nodeId"));
          assertEquals("scorer", scorer.getString("name"));
          assertEquals(1L, scorer.getJsonObject("counters").getLong("received"), scorer.encode());
          assertEquals(0, scorer.getInteger("mailboxDepth"));
          ctx.completeNow();
        })));
  }

  private static JsonObject find(JsonArray actors, String address, String node) {
    JsonObject found = actors.stream().map(JsonObject.class::cast)
        .filter(a -> address.equals(a.getString("address")) && node.equals(a.getString("node")))
        .findFirst().orElse(null);
    assertNotNull(found, address + " on " + node + " in " + actors.encode());
    assertTrue(found.containsKey("counters"));
    return found;
  }

  /** A further member, without busflow, joined to the two. */
  private static Future<Vertx> anotherMember() {
    Config config = ClusterConfigs.loopback(joinAt.getClusterName());
    config.getNetworkConfig().getJoin().getTcpIpConfig().setMembers(joinAt.getNetworkConfig().getJoin()
        .getTcpIpConfig().getMembers());
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void actors_listAMemberWithoutBusflowWithNoActors(Vertx vertx, VertxTestContext ctx) {
    Vertx alpha = nodes.get(0);
    anotherMember()
        .compose(plain -> Bridges.start(alpha, new JsonObject(), List.of())
            .compose(port -> WebClient.create(vertx).get(port, "127.0.0.1", "/api/v1/actors").send())
            .eventually(plain::close))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonArray members = r.bodyAsJsonObject().getJsonArray("nodes");
          assertEquals(3, members.size(), members.encode());
          JsonObject plain = members.getJsonObject(2);
          assertNull(plain.getValue("error"), plain.encode());
          assertEquals(0, plain.getInteger("actors"));
          assertEquals("this cluster member runs no busflow actors", plain.getString("note"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void actors_aMemberThatDoesNotAnswer_isListedWithTimeoutAfterTheBridgesWait(Vertx vertx, VertxTestContext ctx) {
    Vertx alpha = nodes.get(0);
    Vertx stuck = anotherMember().toCompletionStage().toCompletableFuture().join();
    String nodeId = ((VertxInternal) stuck).clusterManager().getNodeId();
    // a member whose directory takes requests and never answers: overloaded, or frozen
    stuck.eventBus().consumer(io.busflow.actor.internal.NodeDirectory.PREFIX + nodeId + ".actors", m -> { })
        .completion()
        .compose(v -> Bridges.start(alpha, new JsonObject().put("requestTimeoutMs", 1000), List.of()))
        .compose(port -> WebClient.create(vertx).get(port, "127.0.0.1", "/api/v1/actors").send())
        .onComplete(ar -> stuck.close())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          JsonArray members = r.bodyAsJsonObject().getJsonArray("nodes");
          JsonObject silent = members.stream().map(JsonObject.class::cast)
              .filter(n -> nodeId.equals(n.getString("nodeId"))).findFirst().orElseThrow();
          JsonObject error = silent.getJsonObject("error");
          assertNotNull(error, silent.encode());
          assertEquals("TIMEOUT", error.getString("code"));
          assertTrue(error.getString("message").contains("did not list its actors within 500 ms"), error.encode());
          assertEquals(List.of("alpha", "beta"), members.stream().map(JsonObject.class::cast)
              .filter(n -> n.getString("node") != null).map(n -> n.getString("node")).toList(), members.encode());
          ctx.completeNow();
        })));
  }
}
