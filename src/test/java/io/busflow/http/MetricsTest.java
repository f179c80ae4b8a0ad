package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.internal.ActorCounters;
import io.busflow.actor.internal.ActorRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /metrics} parsed as Prometheus text: per-actor series, JVM, and Vert.x's when enabled. */
@ExtendWith(VertxExtension.class)
class MetricsTest {

  private static final Map<String, String> ECHO = Map.of("actor", "echo", "address", "test.echo", "node", "local");
  private static final JsonObject HTTP = new JsonObject().put("bus", new JsonObject()
      .put("addresses", new JsonArray().add("test.echo")));

  private Vertx withMetrics;

  @AfterEach
  void closeOwnVertx() throws Exception {
    if (withMetrics != null) {
      withMetrics.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Future<Object> echoOrFail(Object msg) {
    if (msg instanceof JsonObject j && j.getBoolean("fail", false)) {
      return Future.failedFuture(ActorException.badRequest("asked to fail"));
    }
    return Future.succeededFuture(msg);
  }

  private static Future<String> exercise(Vertx vertx) {
    return Bridges.actor(vertx, Bridges.config("echo", "test.echo"), MetricsTest::echoOrFail)
        .compose(v -> Bridges.start(vertx, HTTP, List.of()))
        .compose(port -> {
          WebClient c = WebClient.create(vertx);
          Future<?> chain = Future.succeededFuture();
          for (String body : List.of("{}", "{}", "{}", "{\"fail\":true}")) {
            chain = chain.compose(v -> c.post(port, "127.0.0.1", "/api/v1/bus/test.echo")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
          }
          return chain.compose(v -> c.get(port, "127.0.0.1", "/metrics").send())
              .map(r -> {
                assertEquals(200, r.statusCode());
                assertTrue(r.getHeader("Content-Type").startsWith("text/plain; version=0.0.4"));
                return r.bodyAsString();
              });
        });
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void metrics_showPerActorCountersFailuresDepthAndLatencyHistogram_andJvm(Vertx vertx, VertxTestContext ctx) {
    exercise(vertx).onComplete(ctx.succeeding(text -> ctx.verify(() -> {
      PrometheusText p = PrometheusText.parse(text);
      assertEquals(4.0, p.value("busflow_actor_received_total", ECHO));
      assertEquals(3.0, p.value("busflow_actor_replied_total", ECHO));
      assertEquals(1.0, p.value("busflow_actor_failed_total", with(ECHO, "code", "BAD_REQUEST")));
      assertEquals(0.0, p.value("busflow_actor_failed_total", with(ECHO, "code", "TIMEOUT")));
      assertEquals(0.0, p.value("busflow_actor_mailbox_depth", ECHO));
      assertEquals(1.0, p.value("busflow_actor_instances", ECHO));
      assertEquals(0.0, p.value("busflow_actor_crashes_total", ECHO));
      assertEquals(4.0, p.value("busflow_actor_processing_seconds_count", ECHO));
      assertEquals(4.0, p.value("busflow_actor_processing_seconds_bucket", with(ECHO, "le", "+Inf")));
      assertTrue(p.find("busflow_actor_processing_seconds_bucket", ECHO).size() > 10, "histogram buckets");
      assertEquals("histogram", p.types().get("busflow_actor_processing_seconds"));
      assertEquals("counter", p.types().get("busflow_actor_received_total"));
      assertTrue(p.hasPrefix("jvm_memory_used_bytes"), "JVM series");
      assertFalse(p.hasPrefix("vertx_eventbus"), "plain Vertx: no Vert.x metrics");
      assertEquals(1024.0, p.value("busflow_http_predict_requests_limit", Map.of()), "no standing queue: the most");
      assertEquals(0.0, p.value("busflow_http_predict_requests_in_flight", Map.of()));
      assertTrue(p.value("busflow_http_connections_open", Map.of()) >= 1, "the scrape's own connection is open");
      assertEquals(0.0, p.value("busflow_http_connections_refused_total", Map.of()));
      assertEquals("counter", p.types().get("busflow_http_connections_refused_total"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void metrics_withVertxMetricsEnabled_includeTheEventBus(VertxTestContext ctx) {
    withMetrics = vertxWithMetrics();
    exercise(withMetrics)
        .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
          PrometheusText p = PrometheusText.parse(text);
          assertTrue(p.hasPrefix("vertx_eventbus_"), "event-bus series");
          assertTrue(p.hasPrefix("vertx_http_server_"), "HTTP server series");
          assertTrue(p.hasPrefix("jvm_"), "JVM series");
          assertEquals(4.0, p.value("busflow_actor_received_total", ECHO));
          ctx.completeNow();
        })));
  }

  @Test
  void counters_stayMonotonicWhenAnInstanceGoesAway(Vertx vertx) {
    ActorRegistry registry = ActorRegistry.of(vertx);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ActorMeters.bind(meters, io.busflow.actor.NodeActors.of(vertx));
    registry.expect("m", "test.m"); // deployed under supervision, as Actors.deploy does
    ActorCounters first = new ActorCounters("m", "test.m", "EVENT_LOOP", "i1", () -> 0);
    registry.add(first);
    first.received();
    first.received();
    first.failed(ErrorCode.CONFLICT);
    assertEquals(2.0, received(meters));
    registry.remove(first);
    ActorCounters second = new ActorCounters("m", "test.m", "EVENT_LOOP", "i2", () -> 0);
    registry.add(second);
    second.received();
    assertEquals(3.0, received(meters), "the restarted instance adds to the old count");
    assertEquals(1.0, meters.get("busflow.actor.failed").tag("code", "CONFLICT").functionCounter().count());
    assertEquals(1.0, meters.get("busflow.actor.instances").gauge().value());
  }

  @Test
  void series_ofAnActorWithNoInstanceLeftAndNoneExpected_areRemoved(Vertx vertx) {
    ActorRegistry registry = ActorRegistry.of(vertx);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ActorMeters.bind(meters, io.busflow.actor.NodeActors.of(vertx));
    registry.expect("m", "test.m");
    ActorCounters supervised = new ActorCounters("m", "test.m", "EVENT_LOOP", "i1", () -> 0);
    ActorCounters session = new ActorCounters("s", "test.session.1", "EVENT_LOOP", "i2", () -> 0);
    registry.add(supervised);
    registry.add(session);
    int both = meters.getMeters().size();
    registry.remove(session);
    assertEquals(both / 2, meters.getMeters().size(), "the session's series are gone");
    assertTrue(meters.find("busflow.actor.received").tag("address", "test.session.1").meters().isEmpty());
    registry.remove(supervised);
    assertEquals(both / 2, meters.getMeters().size(), "a supervised actor between restarts keeps its series");
    registry.forget("m", "test.m");
    assertEquals(0, meters.getMeters().size(), "an undeployed actor's series are gone");
  }

  private static double received(SimpleMeterRegistry meters) {
    FunctionCounter c = meters.get("busflow.actor.received").tag("address", "test.m").functionCounter();
    return c.count();
  }

  private static Map<String, String> with(Map<String, String> base, String k, String v) {
    var m = new java.util.HashMap<>(base);
    m.put(k, v);
    return m;
  }

  /** A Vert.x with busflow's metrics, made as the launcher makes it. */
  static Vertx vertxWithMetrics() {
    VertxOptions options = PrometheusMetrics.enable(new VertxOptions());
    return PrometheusMetrics.withRegistry(Vertx.builder().with(options), options).build();
  }
}
