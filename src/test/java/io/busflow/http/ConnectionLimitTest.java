package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code http.limits.connections}: connections past it are answered 503 and closed; the rest are served. */
@ExtendWith(VertxExtension.class)
class ConnectionLimitTest {

  private static final JsonObject HTTP = new JsonObject().put("limits", new JsonObject().put("connections", 2));
  private static final String GET = "GET /api/v1/nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  private static final String METRICS = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  /** A raw connection: what it received, and whether the server closed it. */
  private record Conn(NetSocket socket, Buffer received, Promise<Void> closed) {}

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aConnectionPastTheLimit_getsOne503AndIsClosed_andTheOthersAreServed(Vertx vertx, VertxTestContext ctx) {
    Admission admission = Admission.of(vertx, HttpConfig.read(HTTP.copy().put("enabled", true)));
    List<Conn> within = new ArrayList<>();
    int[] port = new int[1];
    long[] openedAt = new long[1];
    Bridges.start(vertx, HTTP, List.of())
        .compose(p -> {
          port[0] = p;
          return open(vertx, p).compose(a -> open(vertx, p).map(b -> List.of(a, b)));
        })
        .compose(ab -> {
          within.addAll(ab);
          return Eventually.until(vertx, () -> admission.connections() == 2);
        })
        // a third connection asks: one 503 naming the limit, then the server closes it
        .compose(v -> open(vertx, port[0]))
        .compose(over -> {
          over.socket().write(GET);
          return over.closed().future().map(over.received());
        })
        .compose(answer -> {
          ctx.verify(() -> {
            String text = answer.toString();
            assertTrue(text.startsWith("HTTP/1.1 503"), text);
            assertTrue(text.contains("\"code\":\"MAILBOX_FULL\""), text);
            assertTrue(text.contains("http.limits.connections"), text);
            assertTrue(text.toLowerCase().contains("retry-after: 1"), text);
            assertEquals(1, text.split("HTTP/1.1 ").length - 1, "exactly one response: " + text);
          });
          return open(vertx, port[0]);
        })
        // a fourth that asks nothing is closed after the grace
        .compose(silent -> {
          openedAt[0] = System.nanoTime();
          return silent.closed().future().map(silent.received());
        })
        .compose(nothing -> {
          ctx.verify(() -> {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt[0]);
            assertEquals(0, nothing.length(), nothing.toString());
            assertTrue(ms >= Admission.OVER_LIMIT_GRACE_MS / 2, "closed by the grace's timer, after " + ms + " ms");
          });
          return open(vertx, port[0]);
        })
        // a probe past the limit is answered by its route: the node is busy, not dead
        .compose(probe -> {
          probe.socket().write(LIVE);
          return probe.closed().future().map(probe.received());
        })
        .compose(live -> {
          ctx.verify(() -> assertTrue(live.toString().startsWith("HTTP/1.1 200"), live.toString()));
          return open(vertx, port[0]);
        })
        .compose(scrape -> {
          scrape.socket().write(METRICS);
          return scrape.closed().future().map(scrape.received());
        })
        .compose(metrics -> {
          ctx.verify(() -> {
            String text = metrics.toString(); 
            assertTrue(text.startsWith("HTTP/1.1 200"), text);
            assertTrue(text.contains("busflow_http_connections_refused_total"), text);
          });
          // one of the two closes: its place is free again, and the connection under the limit is served as usual
          within.get(0).socket().close();
          return Eventually.until(vertx, () -> admission.connections() == 1);
        })
        .compose(v -> open(vertx, port[0]))
        .compose(next -> {
          next.socket().write(LIVE + LIVE);
          return Eventually.until(vertx, () -> next.received().toString().split("HTTP/1.1 200").length - 1 == 2)
              .map(next);
        })
        .onComplete(ctx.succeeding(next -> ctx.verify(() -> {
          assertEquals(false, next.closed().future().isComplete(), "a connection within the limit stays open");
          assertEquals(2, admission.connections());
          assertTrue(admission.connectionsRefused() >= 4, "refused " + admission.connectionsRefused());
          ctx.completeNow();
        })));
  }

  /** Kept here, as the net clients. */
  private final List<WebSocketClient> clients = new ArrayList<>();

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aBridgeWebSocket_countsUntilItCloses(Vertx vertx, VertxTestContext ctx) {
    JsonObject http = HTTP.copy().put("eventbus", new JsonObject().put("enabled", true));
    Admission admission = Admission.of(vertx, HttpConfig.read(http.copy().put("enabled", true)));
    WebSocketClient client = vertx.createWebSocketClient();
    clients.add(client);
    Bridges.start(vertx, http, List.of())
        .compose(port -> client.connect(port, "127.0.0.1", "/eventbus/websocket"))
        .compose(ws -> Eventually.until(vertx, () -> admission.connections() == 1).compose(v -> ws.close()))
        // an upgraded connection gives its place back when it closes, or every WebSocket would leak one
        .compose(v -> Eventually.until(vertx, () -> admission.connections() == 0))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Kept here: Vert.x 5 closes a client, and its sockets, once the garbage collector finds nobody references it. */
  private final List<NetClient> netClients = new ArrayList<>();

  private Future<Conn> open(Vertx vertx, int port) {
    NetClient client = vertx.createNetClient();
    netClients.add(client);
    return client.connect(port, "127.0.0.1").map(socket -> {
      Conn c = new Conn(socket, Buffer.buffer(), Promise.promise());
      socket.handler(c.received()::appendBuffer);
      socket.closeHandler(v -> c.closed().tryComplete());
      return c;
    });
  }
}
