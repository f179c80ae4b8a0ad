package io.busflow.http;

import io.busflow.actor.Actors;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console and what only it needs. {@code /} and {@code /console/*} serve the console's static files
 * from the jar ({@value #WEBROOT}; no key needed to load them, the page asks for one and sends it with every API
 * call). {@code GET /api/v1/deadletters/events} streams every dead letter of the cluster as it happens, as
 * Server-Sent Events ({@code event: deadletter}, {@code data: {"address","reason","correlationId","message",
 * "timestamp"}}), with a comment line every {@value #HEARTBEAT_MS} ms; the dead-letter address itself is never
 * reachable over the SockJS bridge. A client that cannot keep up loses letters rather than growing the server's
 * memory; the streams count in the node's {@code http.limits.eventStreams}.
 */
public final class ConsoleRoutes implements ApiModule {

  static final String WEBROOT = "io/busflow/http/console";
  static final String DEAD_LETTERS_PATH = "/api/v1/deadletters/events";
  static final String OPENAPI_RESOURCE = "io/busflow/http/console.openapi.json";
  static final long HEARTBEAT_MS = 10_000;

  @Override
  public void mount(Router router, ApiSupport support) {
    StaticHandler files = StaticHandler.create(WEBROOT).setIndexPage("index.html").setDefaultContentEncoding("UTF-8");
    router.route("/").handler(files);
    router.route("/console/*").handler(files);
    long heartbeat = Math.min(HEARTBEAT_MS, support.config().idleTimeoutMs() / 2);
    router.get(DEAD_LETTERS_PATH).handler(ctx -> deadLetters(ctx, support.admission(), heartbeat));
  }

  private static void deadLetters(RoutingContext ctx, Admission admission, long heartbeatMs) {
    admission.takeEventStream();
    ctx.addEndHandler(ar -> admission.giveEventStream());
    HttpServerResponse res = ctx.response().setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    MessageConsumer<Object> letters = ctx.vertx().eventBus().consumer(Actors.DEAD_LETTERS, m -> {
      if (m.body() instanceof JsonObject letter && !res.writeQueueFull() && !res.closed()) {
        res.write("event: deadletter\ndata: " + letter.encode() + "\n\n");
      }
    });
    long timer = ctx.vertx().setPeriodic(Math.max(1, heartbeatMs), id -> res.write(": keep-alive\n\n"));
    res.closeHandler(v -> {
      letters.unregister();
      ctx.vertx().cancelTimer(timer);
    });
    // the stream never ends by itself: end it when the server shuts down (the page reconnects elsewhere)
    ctx.request().connection().shutdownHandler(v -> endIfOpen(res));
    letters.completion().onSuccess(v -> res.write("retry: 3000\n\n"));
  }

  private static void endIfOpen(HttpServerResponse res) {
    if (!res.ended()) {
      res.end();
    }
  }

  @Override
  public JsonObject openApiPaths() {
    return Resources.json(OPENAPI_RESOURCE);
  }
}
