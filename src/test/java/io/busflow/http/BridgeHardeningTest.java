package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.busflow.testkit.Eventually;
import io.busflow.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS bridge against hostile clients, over its raw WebSocket ({@code /eventbus/websocket}): malformed
 * frames get an error frame each, an oversized frame closes the connection, sessions past the limit are
 * refused, a client that stops reading is disconnected.
 */
@ExtendWith(VertxExtension.class)
class BridgeHardeningTest {

  static final String FLOOD = "test.flood";
  static final String NEWS = "test.flood.news";
  private final AtomicInteger echoed = new AtomicInteger();

  /**
   * A bridge with test.echo and test.flood (whose first request starts publishing 4 × 16 KB to test.flood.news
   * every 10 ms) inbound, test.flood.news outbound, and {@code eventbus} settings.
   */
  static Future<Integer> start(Vertx vertx, JsonObject eventbus, AtomicInteger echoed) {
    AtomicBoolean flooding = new AtomicBoolean();
    JsonObject eb = eventbus.copy()
        .put("inbound", new JsonObject().put("addresses", new JsonArray().add("test.echo").add(FLOOD)))
        .put("outbound", new JsonObject().put("addresses", new JsonArray().add(NEWS)));
    return Bridges.actor(vertx, "test.echo", msg -> {
      echoed.incrementAndGet();
      return Future.succeededFuture(msg);
    }).compose(v -> Bridges.actor(vertx, FLOOD, msg -> {
      if (flooding.getAndSet(true)) {
        return Future.succeededFuture("flooding already");
      }
      String chunk = "x".repeat(16 * 1024);
      vertx.setPeriodic(10, id -> {
        for (int i = 0; i < 4; i++) {
          vertx.eventBus().publish(NEWS, chunk);
        }
      });
      return Future.succeededFuture("flooding");
    })).compose(v -> Bridges.start(vertx, new JsonObject().put("eventbus", eb), List.of()));
  }

  /** Kept here: Vert.x 5 closes a client nobody references once the garbage collector finds it. */
  private final List<WebSocketClient> clients = new ArrayList<>();

  private Future<WebSocket> connect(Vertx vertx, int port, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    clients.add(client);
    return client.connect(port, "127.0.0.1", "/eventbus/websocket");
  }

  private static String send(String address, Object body, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress).encode();
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void everyKindOfMalformedFrame_getsAnErrorFrame_andTheSocketStaysUsable(Vertx vertx, VertxTestContext ctx) {
    List<String> bad = List.of(
        "not json at all",
        "[1,2,3]",
        "{\"address\":\"test.echo\",\"body\":1}",
        "{\"type\":42,\"address\":\"test.echo\"}",
        "{\"type\":\"bogus\",\"address\":\"test.echo\"}",
        "{\"type\":\"send\",\"body\":1}",
        "{\"type\":\"send\",\"address\":17,\"body\":1}",
        "{\"type\":\"send\",\"address\":\"test echo\",\"body\":1}",
        "{\"type\":\"send\",\"address\":\"test.echo\",\"headers\":\"x\",\"body\":1,\"replyAddress\":\"r-headers\"}",
        "{\"type\":\"send\",\"address\":\"test.echo\",\"headers\":[1],\"body\":1}",
        "{\"type\":\"send\",\"address\":\"test.echo\",\"headers\":{\"bf-cid\":\"a\\nb\"},\"body\":1,"
            + "\"replyAddress\":\"r-cid\"}",
        "{\"type\":\"send\",\"address\":\"test.echo\",\"headers\":{\"bad name\":\"v\"},\"body\":1}",
        "{\"type\":\"send\",\"address\":\"test.echo\",\"body\":1,\"replyAddress\":{\"x\":1}}");
    List<JsonObject> errors = new ArrayList<>();
    Promise<JsonObject> reply = Promise.promise();
    start(vertx, new JsonObject(), echoed)
        .compose(port -> connect(vertx, port, new WebSocketClientOptions()))
        .onSuccess(ws -> {
          ws.handler(b -> {
            JsonObject f = b.toJsonObject();
            if ("err".equals(f.getString("type"))) {
              errors.add(f);
            } else if ("r-ok".equals(f.getString("address"))) {
              reply.tryComplete(f);
            }
          });
          bad.forEach(ws::writeTextMessage);
          ws.writeTextMessage(send("test.echo", "fine", "r-ok"));
        })
        .compose(ws -> reply.future())
        .onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
          assertEquals("fine", ok.getString("body"), "the socket still works after the bad frames");
          assertEquals(bad.size(), errors.size(), errors.toString());
          for (JsonObject e : errors) {
            assertEquals("BAD_REQUEST", e.getString("failureType"), e.encode());
            assertEquals(400, e.getInteger("failureCode"), e.encode());
            assertFalse(e.getString("message").contains("Exception"), e.encode());
          }
          assertTrue(errors.stream().anyMatch(e -> "r-cid".equals(e.getString("address"))
              && e.getString("message").contains("control character")), errors.toString());
          assertTrue(errors.stream().anyMatch(e -> "r-headers".equals(e.getString("address"))
              && e.getString("message").contains("'headers'")), errors.toString());
          assertEquals(1, echoed.get(), "only the valid frame reached the actor");
          ctx.completeNow();
        })));
  }

  /**
   * One socket subscribes to at most {@code http.eventbus.maxHandlersPerSocket} addresses: one more {@code register}
   * gets a TOO_LARGE error frame at that address, and unregistering one frees a place; registering an address twice
   * gets a BAD_REQUEST error frame of busflow's (not Vert.x's bare "address_already_registered").
   */
  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void pastMaxHandlersPerSocket_aRegisterGetsAnErrorFrame_andAnUnregisterFreesAPlace(Vertx vertx,
      VertxTestContext ctx) {
    JsonObject eb = new JsonObject().put("maxHandlersPerSocket", 2)
        .put("outbound", new JsonObject().put("addressRegexes", new JsonArray().add("test\\.sub\\..+")));
    List<JsonObject> errors = new ArrayList<>();
    Promise<JsonObject> delivered = Promise.promise();
    Bridges.start(vertx, new JsonObject().put("eventbus", eb), List.of())
        .compose(port -> connect(vertx, port, new WebSocketClientOptions()))
        .compose(ws -> {
          ws.handler(b -> {
            JsonObject f = b.toJsonObject();
            if ("err".equals(f.getString("type")) && f.containsKey("failureType")) {
              errors.add(f); // busflow's; a refusal by the hook is also followed by Vert.x's bare "rejected"
            } else if ("test.sub.c".equals(f.getString("address"))) {
              delivered.tryComplete(f);
            }
          });
          for (String address : List.of("test.sub.a", "test.sub.a", "test.sub.b", "test.sub.c")) {
            ws.writeTextMessage(frame("register", address));
          }
          return Eventually.until(vertx, () -> errors.size() >= 2).map(ws);
        })
        .compose(ws -> {
          ws.writeTextMessage(frame("unregister", "test.sub.a"));
          ws.writeTextMessage(frame("register", "test.sub.c"));
          long publishing = vertx.setPeriodic(20, id -> vertx.eventBus().publish("test.sub.c", "news"));
          return delivered.future().onComplete(ar -> vertx.cancelTimer(publishing));
        })
        .onComplete(ctx.succeeding(news -> ctx.verify(() -> {
          assertEquals("news", news.getString("body"));
          assertEquals(2, errors.size(), errors.toString());
          JsonObject twice = errors.get(0);
          assertEquals("BAD_REQUEST", twice.getString("failureType"), twice.encode());
          assertEquals("this socket is subscribed to 'test.sub.a' already; unregister it first to register it again",
              twice.getString("message"), twice.encode());
          assertEquals("test.sub.a", twice.getString("address"), twice.encode());
          JsonObject e = errors.get(1);
          assertEquals("TOO_LARGE", e.getString("failureType"), e.encode());
          assertEquals(413, e.getInteger("failureCode"), e.encode());
          assertEquals("test.sub.c", e.getString("address"), e.encode());
          assertTrue(e.getString("message").startsWith("this socket is subscribed to 2 addresses, the limit of "
              + "http.eventbus.maxHandlersPerSocket"), e.encode());
          ctx.completeNow();
        })));
  }

  private static String frame(String type, String address) {
    return new JsonObject().put("type", type).put("address", address).encode();
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anElevenMegabyteFrame_closesTheConnection(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = new LogCapture("io.busflow.http", Level.WARN);
    Promise<Void> closed = Promise.promise();
    start(vertx, new JsonObject(), echoed)
        .compose(port -> connect(vertx, port, new WebSocketClientOptions()))
        .onSuccess(ws -> {
          ws.closeHandler(v -> closed.tryComplete());
          ws.writeFrame(WebSocketFrame.textFrame("y".repeat(11 * 1024 * 1024), true));
        })
        .compose(ws -> closed.future())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          log.close();
          assertTrue(log.contains("event-bus bridge disconnected"), log.messages().toString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void sessionsPastTheLimit_areRefusedAtOnceWithAReason(Vertx vertx, VertxTestContext ctx) {
    Promise<JsonObject> refusal = Promise.promise();
    Promise<JsonObject> reply = Promise.promise();
    start(vertx, new JsonObject().put("maxSessions", 2), echoed).compose(port ->
        connect(vertx, port, new WebSocketClientOptions()).compose(first -> {
          first.handler(b -> reply.tryComplete(b.toJsonObject()));
          return connect(vertx, port, new WebSocketClientOptions());
        }).compose(second -> connect(vertx, port, new WebSocketClientOptions()))
            .compose(third -> {
              third.handler(b -> refusal.tryComplete(b.toJsonObject()));
              return refusal.future();
            }))
        .onComplete(ctx.succeeding(err -> ctx.verify(() -> {
          assertEquals("MAILBOX_FULL", err.getString("failureType"), err.encode());
          assertTrue(err.getString("message").contains("http.eventbus.maxSessions"), err.encode());
          assertEquals(2, EventBusBridge.openSessions(vertx).get());
          ctx.completeNow();
        })));
  }

  /**
   * Opens a raw WebSocket that subscribes to {@link #NEWS}, starts the flood and stops reading; once the server
   * has logged the disconnection and holds no bridge session any more (the session is given back once its
   * connection is closed), reads again, and completes with the status the connection closed with: 1006 when
   * the server closed it at once, 1000 when it waited for a close handshake the client never answered while
   * it did not read (its queued bytes held all the while). The client stays reachable until then: Vert.x 5
   * closes a {@code WebSocketClient} nobody references when the garbage collector finds it, which here would
   * send a normal close frame and end the session before the bridge ever noticed that the client does not read.
   */
  static Future<Short> neverReads(Vertx vertx, int port, LogCapture log) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096));
    int before = log.messages().size();
    return client.connect(port, "127.0.0.1", "/eventbus/websocket").compose(ws -> {
      Promise<Short> closed = Promise.promise();
      ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
      ws.pause();
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", NEWS).encode());
      ws.writeTextMessage(send(FLOOD, "go", null));
      vertx.setPeriodic(50, id -> {
        boolean logged = log.messages().stream().skip(before).anyMatch(m -> m.contains("does not read"));
        if (logged && EventBusBridge.openSessions(vertx).get() == 0) {
          vertx.cancelTimer(id);
          ws.resume();
        }
      });
      return closed.future();
    }).eventually(client::close);
  }

  /** About 1 s on an idle machine (4 MB of kernel buffers fill at 6.5 MB/s); the timeout allows for a busy one. */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aClientThatNeverReads_isDisconnectedAtOnceWhenItsQueuePassesTheBound_withTheReasonLogged(Vertx vertx,
      VertxTestContext ctx) {
    LogCapture log = new LogCapture("io.busflow.http", Level.WARN);
    start(vertx, new JsonObject().put("maxQueuedBytes", 256 * 1024), echoed)
        .compose(port -> neverReads(vertx, port, log))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          log.close();
          String line = log.messages().stream().filter(m -> m.contains("does not read")).findFirst().orElse(null);
          assertNotNull(line);
          assertTrue(line.contains("http.eventbus.maxQueuedBytes (262144)"), line);
          assertEquals((short) 1006, status, "the connection was closed at once, without a close handshake");
          ctx.completeNow();
        })));
  }

  /**
   * Slow clients together: with a bound per socket far above what they hold, two clients that never read are
   * disconnected once the bytes waiting on all the node's bridge sockets pass {@code maxQueuedBytesPerNode}.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void clientsThatNeverRead_areDisconnectedWhenTheNodesQueuedBytesPassTheirBound(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = new LogCapture("io.busflow.http", Level.WARN);
    start(vertx, new JsonObject().put("maxQueuedBytes", 16 * 1024 * 1024).put("maxQueuedBytesPerNode", 256 * 1024),
        echoed)
        .compose(port -> Future.all(neverReads(vertx, port, log), neverReads(vertx, port, log)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          log.close();
          List<String> lines = log.messages().stream().filter(m -> m.contains("does not read")).toList();
          assertEquals(2, lines.size(), lines.toString());
          for (String line : lines) {
            assertTrue(line.contains("http.eventbus.maxQueuedBytesPerNode (262144)"), line);
          }
          assertEquals(0, EventBusBridge.queuedOnNode(vertx).get(), "every queued byte given back");
          ctx.completeNow();
        })));
  }
}
