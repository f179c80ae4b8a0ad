package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page the user happens to open can do to a node on loopback with the shipped defaults: nothing.
 * Cross-site "simple" requests (text/plain), requests from foreign origins and requests under a foreign
 * {@code Host} (DNS rebinding) are refused on the REST API and on the SockJS bridge, and start no job.
 */
@ExtendWith(VertxExtension.class)
class BrowserDefenceTest {

  private static final String EVIL = "https://evil.example";

  @TempDir
  Path dir;
  private final Stages stages = new Stages();
  private WebClient client;
  private int port;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 500, 1, null);
    Files.writeString(dir.resolve("pipelines/churn.json"), JobRoutesTest.pipeline("churn", "churn.csv", 100).encode());
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    JsonObject http = new JsonObject().put("eventbus", new JsonObject()
        .put("origins", new JsonArray().add("https://app.example")));
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> Bridges.start(vertx, http, List.of(), List.of(new JobRoutes())))
        .onComplete(ctx.succeeding(p -> {
          port = p;
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
          ctx.completeNow();
        }));
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  private static String job(String id) {
    return new JsonObject().put("pipeline", "churn").put("job", id).encode();
  }

  /** Asserts that job {@code id} was never started and that nothing was written to the output root. */
  private Future<Void> assertNothingStarted(String id, VertxTestContext ctx) {
    return client.get(JobRoutes.PATH + "/" + id).send().map(r -> {
      ctx.verify(() -> {
        assertEquals(404, r.statusCode(), r.bodyAsString());
        try (Stream<Path> out = Files.list(dir.resolve("out"))) {
          assertEquals(List.of(), out.toList(), "no output file may be written");
        }
      });
      return null;
    });
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void textPlainPost_asAnyPageCanSend_is415AndStartsNoJob(VertxTestContext ctx) {
    client.post(JobRoutes.PATH).putHeader("Content-Type", "text/plain;charset=UTF-8")
        .sendBuffer(Buffer.buffer(job("csrf-text")))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(415, r.statusCode(), r.bodyAsString());
            JsonObject p = Bridges.problem(r);
            assertEquals("BAD_REQUEST", Bridges.errorCode(p));
            assertTrue(p.getString("detail").contains("'text/plain;charset=UTF-8'")
                && p.getString("detail").contains("application/json"), p.getString("detail"));
            assertEquals("application/json", r.getHeader("Accept"));
          });
          return client.post(JobRoutes.PATH).sendBuffer(Buffer.buffer(job("csrf-none")));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(415, r.statusCode(), "a body without Content-Type is refused too"));
          return assertNothingStarted("csrf-text", ctx);
        })
        .onComplete(ctx.succeeding(v -> ctx.completeNow()));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void jsonPostFromAForeignOrigin_is403AndStartsNoJob_fromTheServersOwnOriginItIsServed(VertxTestContext ctx) {
    client.post(JobRoutes.PATH).putHeader("Content-Type", "application/json").putHeader("Origin", EVIL)
        .sendBuffer(Buffer.buffer(job("csrf-origin")))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(403, r.statusCode(), r.bodyAsString());
            JsonObject p = Bridges.problem(r);
            assertEquals("FORBIDDEN", Bridges.errorCode(p));
            assertTrue(p.getString("detail").contains("http.corsOrigins"), p.getString("detail"));
          });
          return assertNothingStarted("csrf-origin", ctx);
        })
        .compose(v -> client.delete(JobRoutes.PATH + "/nope").putHeader("Origin", "null").send())
        .compose(r -> {
          ctx.verify(() -> assertEquals(403, r.statusCode(), "DELETE from a sandboxed page: " + r.bodyAsString()));
          return client.delete(JobRoutes.PATH + "/nope").putHeader("Origin", "http://127.0.0.1:" + port).send();
        })
        .compose(own -> {
          ctx.verify(() -> assertEquals(404, own.statusCode(), "the server's own page: " + own.bodyAsString()));
          return client.delete(JobRoutes.PATH + "/nope").putHeader("Origin", "http://localhost:1").send();
        })
        .onComplete(ctx.succeeding(otherPort -> ctx.verify(() -> {
          assertEquals(403, otherPort.statusCode(), "another port of localhost is another origin");
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> getWithHost(String path, String host) {
    return client.get(path).putHeader("Host", host).send();
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aForeignHost_isRefusedOnTheApiTheBusEndpointAndTheBridge_loopbackNamesAreServed(VertxTestContext ctx) {
    String rebound = "evil.example:" + port;
    Future.all(List.of(
            getWithHost("/api/v1/actors", rebound),
            client.post("/api/v1/bus/x").putHeader("Host", rebound).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{}")),
            getWithHost("/eventbus/info", rebound),
            getWithHost("/", rebound),
            getWithHost("/api/v1/actors", "localhost:" + port),
            getWithHost("/eventbus/info", "127.0.0.1:" + port),
            getWithHost("/eventbus/info", "[::1]:" + port),
            getWithHost("/eventbus/info", "localhost:" + (port == 1 ? 2 : port - 1))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> r = all.list();
          for (int i : List.of(0, 1, 2, 3)) {
            assertEquals(403, r.get(i).statusCode(), i + ": " + r.get(i).bodyAsString());
            JsonObject p = Bridges.problem(r.get(i));
            assertTrue(p.getString("detail").contains("http.allowedHosts"), p.encode());
          }
          assertEquals(List.of(200, 200, 200, 403), r.subList(4, 8).stream().map(HttpResponse::statusCode).toList());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aForeignHost_cannotOpenTheBridgesWebSocket(Vertx vertx, VertxTestContext ctx) {
    WebSocketClient ws = vertx.createWebSocketClient();
    WebSocketConnectOptions rebound = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .putHeader("Host", "evil.example:" + port).setURI("/eventbus/websocket");
    ws.connect(rebound)
        .onSuccess(s -> ctx.failNow("the WebSocket under a foreign Host was opened"))
        .onFailure(t -> ctx.verify(() -> {
          assertTrue(t instanceof UpgradeRejectedException u && u.getStatus() == 403, t.toString());
        }))
        .recover(t -> ws.connect(port, "127.0.0.1", "/eventbus/websocket"))
        .onComplete(ctx.succeeding(own -> ctx.completeNow()));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void theBridgesOriginCheck_doesNotTrustTheHostHeader(Vertx vertx, VertxTestContext ctx) {
    JsonObject anyHost = new JsonObject().put("allowedHosts", new JsonArray().add("*").add("localhost"))
        .put("eventbus", new JsonObject().put("origins", new JsonArray().add("https://app.example")));
    Bridges.start(vertx, anyHost, List.of()).compose(p -> {
      WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
      String rebound = "evil.example:" + p;
      return Future.all(
          c.get("/eventbus/info").putHeader("Host", rebound).putHeader("Origin", "http://" + rebound).send(),
          c.get("/eventbus/info").putHeader("Host", rebound).putHeader("Origin", "https://app.example").send(),
          c.get("/eventbus/info").putHeader("Origin", "http://localhost:" + p).send());
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<HttpResponse<Buffer>> r = all.list();
      assertEquals(403, r.get(0).statusCode(), "Origin equal to the client's Host: " + r.get(0).bodyAsString());
      assertTrue(Bridges.problem(r.get(0)).getString("detail").contains("http.eventbus.origins"));
      assertEquals(200, r.get(1).statusCode(), "a configured origin");
      assertEquals(200, r.get(2).statusCode(), "the server's own origin: a loopback name on its port");
      ctx.completeNow();
    })));
  }
}
