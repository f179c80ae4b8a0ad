package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ErrorCode;
import io.busflow.actor.internal.DeadLetters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The console's static files and its dead-letter stream. */
@ExtendWith(VertxExtension.class)
class ConsoleRoutesTest {

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void theConsoleIsServedAtTheRoot_withoutAKey_fromTheJar(Vertx vertx, VertxTestContext ctx) {
    JsonObject http = new JsonObject().put("apiKeys", new JsonArray().add("console-key-0123456789"));
    WebClient client = WebClient.create(vertx);
    Bridges.start(vertx, http, List.of(), List.of(new ConsoleRoutes()))
        .compose(port -> client.get(port, "127.0.0.1", "/").send()
            .compose(index -> {
              ctx.verify(() -> {
                assertEquals(200, index.statusCode());
                assertTrue(index.bodyAsString().contains("/console/js/main.js"), index.bodyAsString());
                assertTrue(index.getHeader("Content-Type").startsWith("text/html"));
              });
              return client.get(port, "127.0.0.1", "/console/vendor/uplot-1.6.32/LICENSE").send();
            })
            .compose(license -> {
              ctx.verify(() -> assertTrue(license.bodyAsString().contains("MIT"), "uPlot's licence ships with it"));
              return client.get(port, "127.0.0.1", ConsoleRoutes.DEAD_LETTERS_PATH).send();
            }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(401, r.statusCode(), "the API behind the console needs the key");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void deadLetters_streamAsTheyHappen(Vertx vertx, VertxTestContext ctx) {
    Buffer received = Buffer.buffer();
    Bridges.start(vertx, new JsonObject(), List.of(), List.of(new ConsoleRoutes()))
        .compose(port -> vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1",
            ConsoleRoutes.DEAD_LETTERS_PATH))
        .compose(req -> req.send())
        .onComplete(ctx.succeeding((HttpClientResponse resp) -> {
          ctx.verify(() -> assertTrue(resp.getHeader("Content-Type").startsWith("text/event-stream")));
          resp.handler(chunk -> {
            received.appendBuffer(chunk);
            String text = received.toString();
            if (text.startsWith("retry:") && !text.contains("deadletter")) {
              DeadLetters.publish(vertx, "test.gone", ErrorCode.NO_ACTOR, "c-1", "nobody at test.gone");
            } else if (text.contains("event: deadletter")) {
              ctx.verify(() -> {
                JsonObject letter = Sse.parse(200, null, text).named("deadletter").get(0).data();
                assertEquals("test.gone", letter.getString("address"));
                assertEquals("NO_ACTOR", letter.getString("reason"));
                assertEquals("c-1", letter.getString("correlationId"));
              });
              resp.request().connection().close();
              ctx.completeNow();
            }
          });
        }));
  }

  /** The status of a dead-letter stream's response once its first chunk came (a refusal: at once). */
  private static Future<Integer> opened(io.vertx.core.http.HttpClient client, int port) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", ConsoleRoutes.DEAD_LETTERS_PATH)
        .compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().map(b -> resp.statusCode());
          }
          io.vertx.core.Promise<Integer> first = io.vertx.core.Promise.promise();
          resp.handler(chunk -> first.tryComplete(200));
          return first.future();
        });
  }

  /** {@link #opened}, again up to {@code tries} times 20 ms apart while it is refused. */
  private static Future<Integer> openedWithin(Vertx vertx, io.vertx.core.http.HttpClient client, int port, int tries) {
    return opened(client, port).compose(status -> status == 200 || tries == 0 ? Future.succeededFuture(status)
        : vertx.timer(20, TimeUnit.MILLISECONDS).compose(t -> openedWithin(vertx, client, port, tries - 1)));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void deadLetterStreams_countInTheNodesLimitOfEventStreams_andGiveTheirPlaceBackWhenClosed(Vertx vertx,
      VertxTestContext ctx) {
    io.vertx.core.http.HttpClient first = vertx.createHttpClient();
    io.vertx.core.http.HttpClient other = vertx.createHttpClient();
    Bridges.start(vertx, new JsonObject().put("limits", new JsonObject().put("eventStreams", 1)), List.of(),
            List.of(new ConsoleRoutes()))
        .compose(port -> opened(first, port)
            .compose(status -> {
              ctx.verify(() -> assertEquals(200, status));
              return opened(other, port);
            })
            .compose(status -> {
              ctx.verify(() -> assertEquals(503, status, "past http.limits.eventStreams"));
              return first.close();
            })
            .compose(v -> openedWithin(vertx, other, port, 50)))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals(200, status, "the closed stream gave its place back");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aStoppingServer_endsTheDeadLetterStreamAtOnce_ratherThanWaitingOutItsShutdownTimeout(Vertx vertx,
      VertxTestContext ctx) {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("shutdownTimeoutMs", 60_000));
    HttpBridge bridge = new HttpBridge(cfg, List.of(), List.of(new ConsoleRoutes()));
    vertx.deployVerticle(bridge)
        .compose(id -> vertx.createHttpClient().request(HttpMethod.GET, bridge.actualPort(), "127.0.0.1",
                ConsoleRoutes.DEAD_LETTERS_PATH)
            .compose(req -> req.send())
            .compose(resp -> {
              // the stream is open once its first chunk came: stop the server; the stream must end well before the
              // 60 s the server gives requests in progress
              resp.handler(chunk -> vertx.undeploy(id));
              return resp.end();
            }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
