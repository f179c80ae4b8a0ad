package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.actor.ActorException;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The races and losses of a job's event stream, against a scripted coordinator: a job that ends between the
 * subscription and the status answer, a report lost on the way, a job the coordinator forgot, progress out of
 * order, no coordinator, the server stopping.
 */
@ExtendWith(VertxExtension.class)
class JobEventsTest {

  private static final String JOB = "j1";
  private final JobRoutes routes = new JobRoutes(100);
  private final AtomicInteger statusCalls = new AtomicInteger();
  private HttpClient http;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient();
  }

  /** A coordinator whose status answers follow {@code script(call number from 1, vertx)}. */
  private Future<Integer> coordinator(BiFunction<Integer, Vertx, Future<?>> script) {
    return Bridges.actor(vertx, PipelineProtocol.ADDRESS, msg -> script.apply(statusCalls.incrementAndGet(), vertx))
        .compose(v -> Bridges.start(vertx, new JsonObject(), List.of(), List.of(routes)));
  }

  private static JsonObject progress(long elapsedMs) {
    return new JsonObject().put("job", JOB).put("state", "running").put("rowsDone", elapsedMs).put("elapsedMs", elapsedMs);
  }

  private static JsonObject report() {
    return new JsonObject().put("job", JOB).put("state", "succeeded").put("elapsedMs", 2000);
  }

  private static void publish(Vertx vertx, JsonObject message) {
    vertx.eventBus().publish(PipelineProtocol.progressAddress(JOB), message);
  }

  private Future<Sse.Stream> events(int port) {
    return Sse.read(http, port, JobRoutes.PATH + "/" + JOB + "/events");
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aJobEndingBetweenSubscriptionAndStatusAnswer_stillEndsTheStreamWithItsReport(VertxTestContext ctx) {
    coordinator((call, vx) -> {
      if (call == 1) {
        publish(vx, report().put("final", true)); // ends after the status below was taken
        return Future.succeededFuture(progress(1000));
      }
      return Future.succeededFuture(progress(1000)); // never says it ended: only the published report can
    }).compose(this::events).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      assertEquals(List.of("progress", "report"), s.events().stream().map(Sse.Event::name).toList(), s.raw());
      assertEquals("succeeded", s.last().data().getString("state"));
      assertEquals(false, s.last().data().containsKey("final"));
      assertEquals(0, routes.openStreams());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aLostReport_endsTheStreamAtTheNextStatusCheck_andProgressStaysInOrder(VertxTestContext ctx) {
    coordinator((call, vx) -> {
      if (call == 1) {
        publish(vx, progress(500)); // older than the status it arrives beside: dropped
        publish(vx, new JsonObject().put("foreign", true)); // no state, not the end: dropped as well
        return Future.succeededFuture(progress(1000));
      }
      if (call == 2) {
        publish(vx, progress(1500));
        return Future.succeededFuture(progress(1500));
      }
      return Future.succeededFuture(report()); // ended; its published report never arrived
    }).compose(this::events).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      List<Long> elapsed = s.named("progress").stream().map(e -> e.data().getLong("elapsedMs")).toList();
      assertEquals(List.of(1000L, 1500L, 1500L), elapsed, s.raw());
      assertEquals(List.of("1", "2", "3", "final"), s.events().stream().map(Sse.Event::id).toList());
      assertEquals("report", s.last().name());
      assertEquals(true, s.comments().contains("keep-alive"), s.raw());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aJobTheCoordinatorForgot_endsTheStreamWithAnErrorEvent(VertxTestContext ctx) {
    coordinator((call, vx) -> call == 1 ? Future.succeededFuture(progress(10))
        : Future.failedFuture(ActorException.notFound("no job 'j1' on this coordinator")))
        .compose(this::events).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals(List.of("progress", "error"), s.events().stream().map(Sse.Event::name).toList(), s.raw());
          JsonObject error = s.last().data();
          assertEquals("NOT_FOUND", Bridges.errorCode(error));
          assertEquals(404, error.getInteger("status"), error.encode());
          assertEquals("job 'j1' was lost: no job 'j1' on this coordinator", error.getString("detail"));
          assertEquals(0, routes.openStreams());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void noCoordinator_is503NoActorJson(VertxTestContext ctx) {
    Bridges.start(vertx, new JsonObject(), List.of(), List.of(routes))
        .compose(this::events).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals(503, s.status(), s.raw());
          JsonObject error = new JsonObject(s.raw());
          assertEquals("NO_ACTOR", Bridges.errorCode(error));
          assertEquals(true, error.getString("detail").contains("'busflow.pipeline'"), error.encode());
          assertEquals(0, routes.openStreams());
          ctx.completeNow();
        })));
  }

  /** The headers of an event stream's response once its first chunk came (the stream stays open). */
  private Future<io.vertx.core.http.HttpClientResponse> opened(HttpClient client, int port) {
    return client.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", JobRoutes.PATH + "/" + JOB + "/events")
        .compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().map(b -> resp);
          }
          io.vertx.core.Promise<io.vertx.core.http.HttpClientResponse> first = io.vertx.core.Promise.promise();
          resp.handler(chunk -> first.tryComplete(resp));
          return first.future();
        });
  }

  /** Completes once no stream is open, looked at up to {@code looks} times 20 ms apart. */
  private Future<Void> noStreamOpen(int looks) {
    if (routes.openStreams() == 0 || looks == 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(20, TimeUnit.MILLISECONDS).compose(t -> noStreamOpen(looks - 1));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void pastTheLimitOfOpenStreams_aNewOneIs503MailboxFullAtOnce_andOneClosingMakesRoom(VertxTestContext ctx) {
    HttpClient first = vertx.createHttpClient();
    Bridges.actor(vertx, PipelineProtocol.ADDRESS, msg -> Future.succeededFuture(progress(10))) // runs on and on
        .compose(v -> Bridges.start(vertx, new JsonObject().put("limits", new JsonObject().put("eventStreams", 1)),
            List.of(), List.of(routes)))
        .compose(port -> opened(first, port)
            .compose(open -> {
              ctx.verify(() -> assertEquals(200, open.statusCode()));
              return opened(http, port);
            })
            .compose(refused -> {
              ctx.verify(() -> {
                assertEquals(503, refused.statusCode());
                assertEquals(true, refused.getHeader("Retry-After") != null);
              });
              return first.close(); // the first client goes: its stream ends, and gives its place back
            })
            .compose(v -> noStreamOpen(50))
            .compose(v -> opened(http, port)))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertEquals(200, again.statusCode());
          assertEquals(1, routes.openStreams());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void aStoppingServer_endsOpenStreamsAtOnce_ratherThanWaitingOutItsShutdownTimeout(VertxTestContext ctx) {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("shutdownTimeoutMs", 60_000));
    HttpBridge bridge = new HttpBridge(cfg, List.of(), List.of(new JobRoutes(60_000)));
    Bridges.actor(vertx, PipelineProtocol.ADDRESS, msg -> Future.succeededFuture(progress(10)))
        .compose(v -> vertx.deployVerticle(bridge))
        .compose(id -> http.request(io.vertx.core.http.HttpMethod.GET, bridge.actualPort(), "127.0.0.1",
                JobRoutes.PATH + "/" + JOB + "/events")
            .compose(req -> req.send())
            .compose(resp -> {
              resp.handler(chunk -> vertx.undeploy(id));
              return resp.end();
            }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
