package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API keys on /api and the bridge's handshake, open health and metrics, the SockJS origin check. */
@ExtendWith(VertxExtension.class)
class SecurityTest {

  private static final String KEY = "k3y-0123456789abcdef";
  private static final String OTHER_KEY = "second-key-0123456789";

  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    JsonObject http = new JsonObject()
        .put("apiKeys", new JsonArray().add(KEY).add(OTHER_KEY))
        .put("bus", new JsonObject().put("addresses", new JsonArray().add("test.echo")))
        .put("eventbus", new JsonObject().put("origins", new JsonArray().add("https://app.example")));
    Bridges.actor(vertx, "test.echo", Future::succeededFuture)
        .compose(v -> Bridges.start(vertx, http, List.of()))
        .onComplete(ctx.succeeding(port -> {
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
          ctx.completeNow();
        }));
  }

  private Future<HttpResponse<Buffer>> echo(String authorization) {
    var req = client.post("/api/v1/bus/test.echo").putHeader("Content-Type", "application/json");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return req.sendBuffer(Buffer.buffer("{\"x\":1}"));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void apiWithoutKey_is401WithBearerChallenge(VertxTestContext ctx) {
    echo(null).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(401, r.statusCode());
      assertEquals("UNAUTHORIZED", Bridges.errorCode(Bridges.problem(r)));
      assertTrue(r.getHeader("WWW-Authenticate").startsWith("Bearer"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void apiWithAWrongKeyOrScheme_is403Or401(VertxTestContext ctx) {
    echo("Bearer not-the-key-at-all-1234").compose(wrong -> {
      ctx.verify(() -> {
        assertEquals(403, wrong.statusCode());
        assertEquals("FORBIDDEN", Bridges.errorCode(Bridges.problem(wrong)));
      });
      return echo("Basic " + KEY);
    }).onComplete(ctx.succeeding(basic -> ctx.verify(() -> {
      assertEquals(401, basic.statusCode(), "only bearer tokens are accepted");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void apiWithAnyConfiguredKey_isServed(VertxTestContext ctx) {
    echo("Bearer " + KEY).compose(first -> {
      ctx.verify(() -> assertEquals(200, first.statusCode(), first.bodyAsString()));
      return echo("bearer " + OTHER_KEY);
    }).compose(second -> {
      ctx.verify(() -> assertEquals(200, second.statusCode(), second.bodyAsString()));
      return client.get("/api/v1/actors").putHeader("Authorization", "Bearer " + KEY).send();
    }).onComplete(ctx.succeeding(actors -> ctx.verify(() -> {
      assertEquals(200, actors.statusCode());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void everyApiRouteNeedsTheKey_healthAndMetricsDoNot(VertxTestContext ctx) {
    Future.all(List.of(
            client.get("/api/v1/actors").send(),
            client.get("/api/v1/openapi.json").send(),
            client.get("/api/v1/nothing").send(),
            client.get("/health/live").send(),
            client.get("/health/ready").send(),
            client.get("/metrics").send()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Integer> statuses = all.<HttpResponse<Buffer>>list().stream().map(HttpResponse::statusCode).toList();
          assertEquals(List.of(401, 401, 401, 200, 200, 200), statuses);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bridgeHandshakeWithAWrongKey_is403(VertxTestContext ctx) {
    client.get("/eventbus/info").putHeader("Authorization", "Bearer wrong-wrong-wrong-wrong").send()
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(403, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bridgeFromAForeignOrigin_is403_fromTheConfiguredOrItsOwnOrigin_isServed(VertxTestContext ctx) {
    client.get("/eventbus/info").putHeader("Origin", "https://evil.example").send()
        .compose(evil -> {
          ctx.verify(() -> {
            assertEquals(403, evil.statusCode());
            assertTrue(Bridges.problem(evil).getString("detail").contains("http.eventbus.origins"),
                evil.bodyAsString());
          });
          return client.get("/eventbus/info").putHeader("Origin", "https://app.example").send();
        })
        .compose(app -> {
          ctx.verify(() -> assertEquals(200, app.statusCode(), app.bodyAsString()));
          return client.get("/eventbus/info").send();
        })
        .onComplete(ctx.succeeding(none -> ctx.verify(() -> {
          assertEquals(200, none.statusCode(), "clients that send no Origin (Node, curl) are not browsers");
          ctx.completeNow();
        })));
  }

  @Test
  void defaults_bindLoopbackWithoutKeysCorsOrReachableAddresses() {
    HttpConfig d = HttpConfig.defaults();
    assertEquals("127.0.0.1", d.host());
    assertEquals(false, d.enabled());
    assertEquals(10L * 1024 * 1024, d.bodyLimitBytes());
    assertTrue(d.apiKeys().isEmpty());
    assertTrue(d.corsOrigins().isEmpty());
    assertTrue(d.bus().isEmpty());
    assertTrue(d.eventbus().inbound().isEmpty() && d.eventbus().outbound().isEmpty());
  }
}
