package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request and idle timeouts, and readiness on a cluster member. */
@ExtendWith(VertxExtension.class)
class TimeoutsTest {

  private static final JsonObject HTTP = new JsonObject().put("requestTimeoutMs", 300).put("idleTimeoutMs", 1000)
      .put("bus", new JsonObject().put("addresses", new JsonArray().add("test.echo")));

  /**
   * Kept here: Vert.x 5 closes a net client, and its sockets, once the garbage collector finds nobody references
   * it (a collection in the middle of a test closed the socket it waited on).
   */
  private final List<NetClient> netClients = new ArrayList<>();

  private NetClient netClient(Vertx vertx) {
    NetClient client = vertx.createNetClient();
    netClients.add(client);
    return client;
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aBodyThatNeverFinishes_getsOne504TimeoutAnswer(Vertx vertx, VertxTestContext ctx) {
    Promise<Buffer> answer = Promise.promise();
    Buffer received = Buffer.buffer();
    Bridges.actor(vertx, "test.echo", Future::succeededFuture)
        .compose(v -> Bridges.start(vertx, HTTP, List.of()))
        .compose(port -> netClient(vertx).connect(port, "127.0.0.1"))
        .onSuccess(socket -> {
          socket.handler(received::appendBuffer);
          socket.closeHandler(v -> answer.tryComplete(received));
          socket.write("POST /api/v1/bus/test.echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");
          vertx.setTimer(3000, t -> answer.tryComplete(received));
        })
        .compose(socket -> answer.future())
        .onComplete(ctx.succeeding(bytes -> ctx.verify(() -> {
          String text = bytes.toString();
          assertTrue(text.startsWith("HTTP/1.1 504"), text);
          assertTrue(text.contains("\"code\":\"TIMEOUT\""), text);
          assertTrue(text.contains("http.requestTimeoutMs"), text);
          assertEquals(1, text.split("HTTP/1.1 ").length - 1, "exactly one response: " + text);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aSilentConnection_isClosedAfterTheIdleTimeout(Vertx vertx, VertxTestContext ctx) {
    long[] opened = new long[1];
    Bridges.start(vertx, HTTP, List.of())
        .compose(port -> netClient(vertx).connect(port, "127.0.0.1"))
        .onComplete(ctx.succeeding((NetSocket socket) -> {
          opened[0] = System.currentTimeMillis();
          socket.closeHandler(v -> ctx.verify(() -> {
            long after = System.currentTimeMillis() - opened[0];
            assertTrue(after >= 900 && after < 5000, "closed after " + after + " ms");
            ctx.completeNow();
          }));
        }));
  }

  private List<Vertx> cluster;

  @AfterEach
  void stopCluster() throws Exception {
    TestCluster.stop(cluster).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void ready_onAClusterMember_reportsTheClusterJoined(VertxTestContext ctx) {
    TestCluster.start(1).onComplete(ctx.succeeding(nodes -> {
      cluster = nodes;
      Vertx member = nodes.get(0);
      Bridges.start(member, new JsonObject(), List.of())
          .compose(port -> WebClient.create(member).get(port, "127.0.0.1", "/health/ready").send())
          .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject cluster = r.bodyAsJsonObject().getJsonObject("checks").getJsonObject("cluster");
            assertEquals(new JsonObject().put("clustered", true).put("joined", true).put("ready", true), cluster);
            ctx.completeNow();
          })));
    }));
  }
}
