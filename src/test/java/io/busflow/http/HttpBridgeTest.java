package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.config.ActorConfig;
import io.busflow.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every route's success path and every error mapping of the bridge, over real HTTP. */
@ExtendWith(VertxExtension.class)
class HttpBridgeTest {

  private static final JsonObject HTTP = new JsonObject()
      .put("requestTimeoutMs", 400)
      .put("bodyLimitBytes", 1024)
      .put("bus", new JsonObject()
          .put("addresses", new JsonArray(List.of("test.echo", "test.fail", "test.throw", "test.slow",
              "test.absent", "test.binary")))
          .put("addressRegexes", new JsonArray().add("test\\.re\\.[a-z]+")));

  private WebClient client;
  private final List<Promise<Object>> held = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    List<ActorConfig> configured = List.of(Bridges.config("echo", "test.echo"));
    Future.all(List.of(
            Bridges.actor(vertx, configured.get(0), Future::succeededFuture),
            Bridges.actor(vertx, "test.re.abc", msg -> Future.succeededFuture("regex ok")),
            Bridges.actor(vertx, "test.fail", HttpBridgeTest::failAsAsked),
            Bridges.actor(vertx, "test.throw", msg -> {
              throw new IllegalStateException("boom");
            }),
            Bridges.actor(vertx, "test.slow", msg -> hold()),
            Bridges.actor(vertx, "test.binary", msg -> Future.succeededFuture(Buffer.buffer("raw")))))
        .compose(v -> Bridges.start(vertx, HTTP, configured))
        .onComplete(ctx.succeeding(port -> {
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
              .setDefaultPort(port));
          ctx.completeNow();
        }));
  }

  private Future<Object> hold() {
    Promise<Object> p = Promise.promise();
    held.add(p);
    return p.future();
  }

  private static Future<?> failAsAsked(Object msg) {
    JsonObject j = (JsonObject) msg;
    throw new ActorException(ErrorCode.valueOf(j.getString("code")), "asked to fail with " + j.getString("code"));
  }

  private Future<HttpResponse<Buffer>> post(String address, String body) {
    return client.post("/api/v1/bus/" + address).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body));
  }

  private static JsonObject error(HttpResponse<Buffer> r) {
    return Bridges.problem(r);
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_sendsTheJsonBodyAndAnswersWithTheReply(VertxTestContext ctx) {
    post("test.echo", "{\"a\":[1,2]}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
      assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(2)), r.bodyAsJsonObject());
      assertNotNull(r.getHeader(Correlation.HEADER));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_stringsListsAndNumbersTravelAsJson(VertxTestContext ctx) {
    post("test.echo", "\"data.csv\"")
        .compose(r -> {
          ctx.verify(() -> assertEquals("\"data.csv\"", r.bodyAsString()));
          return post("test.echo", "[1,\"x\"]");
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(new JsonArray().add(1).add("x"), r.bodyAsJsonArray()));
          return post("test.echo", "42");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("42", r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_anAddressMatchingAnAllowedRegex_isReachable(VertxTestContext ctx) {
    post("test.re.abc", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      assertEquals("\"regex ok\"", r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_malformedJson_is400BadRequest(VertxTestContext ctx) {
    post("test.echo", "{\"a\":").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(400, r.statusCode());
      assertEquals("BAD_REQUEST", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("not valid JSON"), error(r).getString("detail"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_withoutBody_is400NamingWhatToSend(VertxTestContext ctx) {
    client.post("/api/v1/bus/test.echo").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(400, r.statusCode());
      assertTrue(error(r).getString("detail").contains("expects a JSON body"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_bodyOverTheLimit_is413TooLarge(VertxTestContext ctx) {
    String big = "\"" + "x".repeat(2000) + "\"";
    post("test.echo", big).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(413, r.statusCode());
      assertEquals("TOO_LARGE", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("1024 bytes (http.bodyLimitBytes)"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_bodyJustUnderTheLimit_isAccepted(VertxTestContext ctx) {
    String fits = "\"" + "x".repeat(1022) + "\"";
    post("test.echo", fits).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode(), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_addressNotOnTheAllowList_is403(VertxTestContext ctx) {
    post("test.other", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(403, r.statusCode());
      assertEquals("FORBIDDEN", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("http.bus.addresses"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_allowedAddressWithoutActor_is503NoActorNamingTheAddress(VertxTestContext ctx) {
    post("test.absent", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(503, r.statusCode());
      assertEquals("NO_ACTOR", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("'test.absent'"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_actorThatDoesNotAnswerInTime_is504TimeoutNamingTheAddress(VertxTestContext ctx) {
    post("test.slow", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(504, r.statusCode());
      assertEquals("TIMEOUT", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("'test.slow'"), r.bodyAsString());
      assertTrue(error(r).getString("detail").contains("http.requestTimeoutMs"), r.bodyAsString());
      held.forEach(p -> p.tryComplete("late"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void bus_everyActorFailureCode_mapsToItsStatus(VertxTestContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (ErrorCode code : ErrorCode.values()) {
      chain = chain.compose(v -> post("test.fail", new JsonObject().put("code", code.name()).encode())
          .map(r -> {
            ctx.verify(() -> assertMapped(code, r));
            return null;
          }));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  private static void assertMapped(ErrorCode code, HttpResponse<Buffer> r) {
    int expected = switch (code) {
      case BAD_REQUEST -> 422;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case MAILBOX_FULL, NO_ACTOR, STOPPING -> 503;
      case ACTOR_FAILED -> 500;
      case TIMEOUT -> 504;
    };
    assertEquals(expected, r.statusCode(), code + ": " + r.bodyAsString());
    assertEquals(code.name(), error(r).getString("code"));
    assertEquals("asked to fail with " + code, error(r).getString("detail"));
    assertEquals(r.getHeader(Correlation.HEADER), error(r).getString("correlationId"));
    boolean retry = code == ErrorCode.MAILBOX_FULL || code == ErrorCode.STOPPING;
    assertEquals(retry ? "1" : null, r.getHeader("Retry-After"), code.name());
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_actorThatThrows_is500ActorFailedWithoutStackTrace(VertxTestContext ctx) {
    post("test.throw", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(500, r.statusCode());
      assertEquals("ACTOR_FAILED", error(r).getString("code"));
      assertFalse(r.bodyAsString().contains("\tat "), r.bodyAsString());
      assertFalse(r.bodyAsString().contains(".java:"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void bus_replyWithoutJsonForm_is500NamingItsType(VertxTestContext ctx) {
    post("test.binary", "{}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(500, r.statusCode());
      assertTrue(error(r).getString("detail").contains("has no JSON form"), r.bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void errors_carryTheCorrelationIdInHeaderBodyAndServerLog(VertxTestContext ctx) {
    LogCapture log = new LogCapture("io.busflow.http", Level.INFO);
    client.post("/api/v1/bus/test.other").putHeader(Correlation.HEADER, "my-request-17")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{}"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          log.close();
          assertEquals("my-request-17", r.getHeader(Correlation.HEADER));
          assertEquals("my-request-17", error(r).getString("correlationId"));
          assertTrue(log.messages().stream().anyMatch(m -> m.contains("my-request-17") && m.contains("403")),
              log.messages().toString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void correlationId_reachesTheActorAsBfCid(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<Object>consumer("test.cid.raw", m -> m.reply(m.headers().get("bf-cid")))
        .completion()
        .compose(v -> Bridges.start(vertx, new JsonObject().put("bus", new JsonObject()
            .put("addresses", new JsonArray().add("test.cid.raw"))), List.of()))
        .compose(port -> WebClient.create(vertx).post(port, "127.0.0.1", "/api/v1/bus/test.cid.raw")
            .putHeader(Correlation.HEADER, "abc.123").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("\"abc.123\"", r.bodyAsString(), "a plain Vert.x consumer gets the id and can reply");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void unknownRoute_is404NotFoundJson(VertxTestContext ctx) {
    client.get("/api/v1/nothing").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(404, r.statusCode());
      assertEquals("NOT_FOUND", error(r).getString("code"));
      assertNotNull(error(r).getString("correlationId"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void wrongMethod_is405WithAnErrorBody(VertxTestContext ctx) {
    client.get("/api/v1/bus/test.echo").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(405, r.statusCode());
      assertEquals("BAD_REQUEST", error(r).getString("code"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void actors_listsEveryActorWithInstancesCountersAndMailboxDepth(VertxTestContext ctx) {
    post("test.echo", "{}")
        .compose(r -> client.get("/api/v1/actors").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode());
          JsonObject body = r.bodyAsJsonObject();
          assertEquals("local", body.getString("node"));
          JsonObject echo = find(body.getJsonArray("actors"), "test.echo");
          assertEquals("echo", echo.getString("name"));
          assertEquals(1, echo.getInteger("instances"));
          assertEquals("local", echo.getString("node"));
          assertEquals(0, echo.getInteger("mailboxDepth"));
          assertTrue(echo.getJsonObject("counters").getLong("received") >= 1, echo.encode());
          assertTrue(echo.getJsonObject("counters").getLong("replied") >= 1, echo.encode());
          assertNotNull(find(body.getJsonArray("actors"), "test.fail"));
          ctx.completeNow();
        })));
  }

  static JsonObject find(JsonArray actors, String address) {
    for (int i = 0; i < actors.size(); i++) {
      if (actors.getJsonObject(i).getString("address").equals(address)) {
        return actors.getJsonObject(i);
      }
    }
    return null;
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void health_liveAndReadyAreUpWhenEveryConfiguredActorRuns(VertxTestContext ctx) {
    client.get("/health/live").send()
        .compose(r -> {
          ctx.verify(() -> assertEquals(new JsonObject().put("status", "UP"), r.bodyAsJsonObject()));
          return client.get("/health/ready").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertEquals("UP", r.bodyAsJsonObject().getString("status"));
          assertNull(r.bodyAsJsonObject().getJsonObject("error"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void ready_is503NamingAConfiguredActorThatDoesNotRun(Vertx vertx, VertxTestContext ctx) {
    List<ActorConfig> configured = List.of(Bridges.config("echo", "test.echo"), Bridges.config("ghost", "x.ghost"));
    Bridges.start(vertx, new JsonObject(), configured)
        .compose(port -> WebClient.create(vertx).get(port, "127.0.0.1", "/health/ready").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(503, r.statusCode());
          JsonObject body = r.bodyAsJsonObject();
          assertEquals("DOWN", body.getString("status"));
          assertEquals("NO_ACTOR", body.getJsonObject("error").getString("code"));
          assertTrue(body.getJsonObject("error").getString("message").contains("'x.ghost'"), body.encode());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void openApi_isServedAsJson(VertxTestContext ctx) {
    client.get("/api/v1/openapi.json").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("openapi").startsWith("3."));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void cors_isOffByDefault(VertxTestContext ctx) {
    client.get("/api/v1/actors").putHeader("Origin", "https://evil.example").send()
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode());
          assertNull(r.getHeader("Access-Control-Allow-Origin"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void cors_allowsTheConfiguredOriginsOnly(Vertx vertx, VertxTestContext ctx) {
    JsonObject http = new JsonObject().put("corsOrigins", new JsonArray().add("https://app.example"));
    Bridges.start(vertx, http, List.of())
        .compose(port -> {
          WebClient c = WebClient.create(vertx);
          return c.get(port, "127.0.0.1", "/api/v1/actors").putHeader("Origin", "https://app.example").send()
              .compose(ok -> {
                ctx.verify(() -> assertEquals("https://app.example", ok.getHeader("Access-Control-Allow-Origin")));
                return c.get(port, "127.0.0.1", "/api/v1/actors").putHeader("Origin", "https://evil.example")
                    .send();
              });
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(403, r.statusCode());
          ctx.completeNow();
        })));
  }
}
