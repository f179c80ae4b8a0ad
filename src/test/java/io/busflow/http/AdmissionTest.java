package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.serving.PredictionService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission control ({@code http.limits}): bodies in flight are bounded node-wide before they are read, a body's
 * JSON is bounded before it is decoded, and a predict request's records are bounded before they are parsed.
 */
@ExtendWith(VertxExtension.class)
class AdmissionTest {

  private static final String ECHO = "test.admission.echo";
  private static final JsonObject HTTP = new JsonObject().put("bodyLimitBytes", 1000).put("shutdownTimeoutMs", 0)
      .put("bus", new JsonObject().put("addresses", new JsonArray().add(ECHO)))
      .put("limits", new JsonObject().put("bodyBytesInFlight", 1500).put("jsonValues", 1000)
          .put("predictRecords", 10).put("predictRowsInFlight", 10));

  @TempDir
  Path dir;

  private Future<Integer> start(Vertx vertx) {
    PredictionService service = new PredictionService(vertx, dir.toString(),
        new DataRoots("output and data roots", List.of(dir)), Duration.ZERO);
    return Bridges.actor(vertx, ECHO, Future::succeededFuture)
        .compose(v -> Bridges.start(vertx, HTTP, List.of(), List.of(new PredictApi(service))));
  }

  /** Opens a POST of {@code length} declared bytes (or chunked when negative), writes {@code first}, holds it. */
  private static Future<HttpClientRequest> open(HttpClient client, int port, String path, long length, String first) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI(path).putHeader("Content-Type", "application/json"))
        .map(req -> {
          if (length < 0) {
            req.setChunked(true);
          } else {
            req.putHeader("Content-Length", Long.toString(length));
          }
          req.write(first);
          return req;
        });
  }

  private static String padded(int length) {
    return "{\"pad\":\"" + "x".repeat(length - 10) + "\"}";
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void bodiesBeyondTheBytesInFlight_get503MailboxFullAtOnce_andTheBudgetComesBack(Vertx vertx,
      VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    WebClient web = WebClient.create(vertx);
    String body = padded(1000);
    int[] port = new int[1];
    HttpClientRequest[] held = new HttpClientRequest[1];
    long[] sent = new long[1];
    start(vertx)
        .compose(p -> {
          port[0] = p;
          return open(client, p, "/api/v1/bus/" + ECHO, 1000, body.substring(0, 100)); // holds 1000 of 1500
        })
        .compose(req -> {
          held[0] = req;
          sent[0] = System.nanoTime();
          return web.post(port[0], "127.0.0.1", "/api/v1/bus/" + ECHO)
              .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
        })
        .compose(refused -> {
          ctx.verify(() -> {
            assertEquals(503, refused.statusCode(), refused.bodyAsString());
            assertEquals("MAILBOX_FULL", Bridges.errorCode(refused.bodyAsJsonObject()));
            assertEquals("1", refused.getHeader("Retry-After"));
            assertTrue(refused.bodyAsString().contains("http.limits.bodyBytesInFlight"), refused.bodyAsString());
            assertTrue(System.nanoTime() - sent[0] < TimeUnit.MILLISECONDS.toNanos(2000));
          });
          return held[0].end(body.substring(100)).compose(v -> held[0].response()).compose(r -> r.body()
              .map(b -> r.statusCode()));
        })
        .compose(status -> {
          ctx.verify(() -> assertEquals(200, status));
          return web.post(port[0], "127.0.0.1", "/api/v1/bus/" + ECHO)
              .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertEquals(200, after.statusCode(), "the budget was given back: " + after.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aChunkedBody_isCountedAsItArrives(Vertx vertx, VertxTestContext ctx) {
    HttpClient client = vertx.createHttpClient();
    String body = padded(1000);
    int[] port = new int[1];
    start(vertx)
        .compose(p -> {
          port[0] = p;
          return open(client, p, "/api/v1/bus/" + ECHO, 1000, body.substring(0, 100));
        })
        .compose(held -> open(client, port[0], "/api/v1/bus/" + ECHO, -1, body.substring(0, 400))
            .compose(chunked -> chunked.write(body.substring(400, 800)).compose(v -> chunked.response())))
        .compose(r -> r.body().map(b -> new Object[] {r.statusCode(), b.toJsonObject()}))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(503, r[0], r[1].toString());
          assertEquals("MAILBOX_FULL", Bridges.errorCode((JsonObject) r[1]));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aBodyOfTooManyJsonValues_is413BeforeItIsDecoded(Vertx vertx, VertxTestContext ctx) {
    String body = "[" + "{},".repeat(330) + "{}]"; // 1 KB, 332 values
    JsonObject http = HTTP.copy().put("bodyLimitBytes", 2000).put("limits", HTTP.getJsonObject("limits").copy()
        .put("bodyBytesInFlight", 2000).put("jsonValues", 300));
    Bridges.actor(vertx, ECHO, Future::succeededFuture)
        .compose(v -> Bridges.start(vertx, http, List.of()))
        .compose(port -> WebClient.create(vertx).post(port, "127.0.0.1", "/api/v1/bus/" + ECHO)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(413, r.statusCode(), r.bodyAsString());
          assertEquals("TOO_LARGE", Bridges.errorCode(r.bodyAsJsonObject()));
          assertTrue(r.bodyAsString().contains("http.limits.jsonValues"), r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aPredictRequestOfTooManyRecords_is413NamingTheLimit(Vertx vertx, VertxTestContext ctx) {
    JsonArray records = new JsonArray();
    for (int i = 0; i < 11; i++) {
      records.add(new JsonObject());
    }
    start(vertx)
        .compose(port -> WebClient.create(vertx).post(port, "127.0.0.1", "/api/v1/pipelines/any/predict")
            .sendJsonObject(new JsonObject().put("records", records)))
        .onComplete(ctx.succeeding((HttpResponse<Buffer> r) -> ctx.verify(() -> {
          assertEquals(413, r.statusCode(), r.bodyAsString());
          assertEquals("TOO_LARGE", Bridges.errorCode(r.bodyAsJsonObject()));
          assertTrue(r.bodyAsString().contains("11 records") && r.bodyAsString().contains("http.limits.predictRecords"),
              r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void predictRequestsBeyondTheRequestsInFlight_get503BeforeTheirBodyIsRead_andTheCountComesBack(Vertx vertx,
      VertxTestContext ctx) {
    JsonObject http = HTTP.copy().put("limits", HTTP.getJsonObject("limits").copy().put("predictRequestsInFlight", 1)
        .put("predictQueueTargetMs", 0)); // the bound alone, whatever the queue
    PredictionService service = new PredictionService(vertx, dir.toString(),
        new DataRoots("output and data roots", List.of(dir)), Duration.ZERO);
    HttpClient client = vertx.createHttpClient();
    String path = "/api/v1/pipelines/any/predict";
    String body = "{\"records\":[{}]}";
    int[] port = new int[1];
    HttpClientRequest[] held = new HttpClientRequest[1];
    Bridges.start(vertx, http, List.of(), List.of(new PredictApi(service)))
        .compose(p -> {
          port[0] = p;
          return open(client, p, path, body.length(), body.substring(0, 5)); // admitted, its body never ends
        })
        .compose(req -> {
          held[0] = req;
          return admitted(vertx, 1).compose(v -> open(client, port[0], path, body.length(), body.substring(0, 5)));
        })
        .compose(second -> second.response().compose(r -> r.body().map(b -> {
          ctx.verify(() -> {
            assertEquals(503, r.statusCode(), b.toString());
            assertEquals("MAILBOX_FULL", Bridges.errorCode(b.toJsonObject()));
            assertEquals("1", r.getHeader("Retry-After"));
            assertTrue(b.toString().contains("http.limits.predictRequestsInFlight"), b.toString());
          });
          return second;
        })))
        .compose(second -> held[0].end(body.substring(5)).compose(v -> held[0].response()))
        .compose(first -> first.body().map(b -> first.statusCode()))
        .compose(first -> WebClient.create(vertx).post(port[0], "127.0.0.1", path).sendBuffer(Buffer.buffer(body))
            .map(after -> new int[] {first, after.statusCode()}))
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertTrue(s[0] != 503 && s[1] != 503, "the first request and one after it are admitted: " + s[0] + ", "
              + s[1]);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aFullNode_shedsPredictRequestsBeforeRouting_withTheRoutesOwnAnswer_andTheChecksBeforeAdmissionStillAnswerFirst(
      Vertx vertx, VertxTestContext ctx) {
    JsonObject http = HTTP.copy().put("limits", HTTP.getJsonObject("limits").copy().put("predictRequestsInFlight", 1)
        .put("predictQueueTargetMs", 0));
    HttpClient client = vertx.createHttpClient();
    int[] port = new int[1];
    List<HttpClientRequest> held = new ArrayList<>();
    List<HttpResponse<Buffer>> got = new ArrayList<>();
    long[] early = new long[2];
    Bridges.start(vertx, http, List.of(), List.of(new PredictApi(service(vertx))))
        .compose(p -> {
          port[0] = p;
          return holdOpen(vertx, client, p, 1, held); // the one request the node admits, never answered
        })
        .compose(v -> {
          early[0] = admission(vertx).shedBeforeRoutingCount();
          WebClient web = WebClient.create(vertx);
          String own = "http://127.0.0.1:" + port[0];
          return Future.all(List.of(
              predict(web, port[0]).putHeader("X-Correlation-Id", "shed-early").sendBuffer(Buffer.buffer(RECORDS)),
              predict(web, port[0]).putHeader("X-Correlation-Id", "shed-routed").putHeader("Origin", own)
                  .sendBuffer(Buffer.buffer(RECORDS)),
              predict(web, port[0]).putHeader("Host", "evil.example:" + port[0]).sendBuffer(Buffer.buffer(RECORDS)),
              predict(web, port[0]).putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer(RECORDS)),
              predict(web, port[0]).putHeader("Origin", "https://evil.example").sendBuffer(Buffer.buffer(RECORDS))));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          early[1] = admission(vertx).shedBeforeRoutingCount();
          for (int i = 0; i < all.size(); i++) {
            got.add(all.resultAt(i));
          }
          HttpResponse<Buffer> shed = got.get(0);
          HttpResponse<Buffer> routed = got.get(1);
          assertEquals(503, shed.statusCode(), shed.bodyAsString());
          assertEquals(503, routed.statusCode(), routed.bodyAsString());
          assertEquals(1, early[1] - early[0], "one request shed before routing: the plain one; the one with an "
              + "Origin went through the route's checks");
          JsonObject a = shed.bodyAsJsonObject();
          JsonObject b = routed.bodyAsJsonObject();
          assertEquals("shed-early", a.remove("correlationId"));
          assertEquals("shed-routed", b.remove("correlationId"));
          assertEquals(b, a, "the same problem either way");
          for (String h : List.of("Retry-After", "Content-Type")) {
            assertEquals(routed.getHeader(h), shed.getHeader(h), h);
          }
          assertEquals("shed-early", shed.getHeader("X-Correlation-Id"));
          assertEquals(403, got.get(2).statusCode(), "a foreign Host is refused first: " + got.get(2).bodyAsString());
          assertEquals(415, got.get(3).statusCode(), "a body that is not JSON is refused first: "
              + got.get(3).bodyAsString());
          assertEquals(403, got.get(4).statusCode(), "a foreign origin is refused first: " + got.get(4).bodyAsString());
          held.forEach(h -> h.reset());
          ctx.completeNow();
        })));
  }

  @Test
  void thePredictPath_isToldApartByItsShape() {
    assertTrue(EarlyShed.isPredict("/api/v1/pipelines/churn-demo/predict"));
    for (String other : List.of("/api/v1/pipelines//predict", "/api/v1/pipelines/a/b/predict", "/api/v1/pipelines/a",
        "/api/v1/pipelines/predict", "/api/v1/pipelines/a/predict/", "/api/v1/bus/predict", "/api/v1/pipelines/a/predictx")) {
      assertTrue(!EarlyShed.isPredict(other), other);
    }
  }

  private static io.vertx.ext.web.client.HttpRequest<Buffer> predict(WebClient web, int port) {
    return web.post(port, "127.0.0.1", PREDICT).putHeader("Content-Type", "application/json");
  }

  private static Admission admission(Vertx vertx) {
    return vertx.sharedData().<String, Admission>getLocalMap("busflow.http.admission").get("node");
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aStandingQueue_lowersTheLimitAQuarterAnInterval_toAnEighth_thenSheds_andFullServiceComesBackWhenItDrains(
      Vertx vertx, VertxTestContext ctx) {
    JsonObject http = HTTP.copy().put("limits", HTTP.getJsonObject("limits").copy().put("predictRequestsInFlight", 16)
        .put("predictQueueTargetMs", 1).put("predictQueueIntervalMs", 20));
    HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(8)); // a connection per request
    int[] port = new int[1];
    List<HttpClientRequest> held = new ArrayList<>();
    List<Long> limits = new ArrayList<>();
    Bridges.start(vertx, http, List.of(), List.of(new PredictApi(service(vertx))))
        .compose(p -> {
          port[0] = p;
          return holdOpen(vertx, client, p, 3, held); // in flight and never answered: every interval is slow
        })
        .compose(v -> limitsUntil(vertx, 2, limits)) // an interval and a little more between readings
        .compose(v -> open(client, port[0], PREDICT, RECORDS.length(), RECORDS.substring(0, 5)))
        .compose(req -> req.response().compose(r -> r.body().map(b -> {
          ctx.verify(() -> {
            assertTrue(limits.get(0) > 3, "the first slow intervals shed nothing yet: " + limits);
            assertEquals(quarterOffEach(limits.get(0), 2), limits, "a quarter off each slow interval, to an eighth of 16");
            assertEquals(503, r.statusCode(), "3 in flight is under the bound of 16, but the queue stands: " + b);
            assertEquals("MAILBOX_FULL", Bridges.errorCode(b.toJsonObject()));
            assertEquals("1", r.getHeader("Retry-After"));
            assertTrue(b.toString().contains("http.limits.predictQueueTargetMs") && b.toString().contains("admits 2 "),
                b.toString());
          });
          return r;
        })))
        .compose(r -> Future.all(held.stream().map(h -> h.end(RECORDS.substring(5)).compose(v -> h.response())
            .compose(HttpClientResponse::body)).toList()))
        .compose(drained -> WebClient.create(vertx).post(port[0], "127.0.0.1", PREDICT)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(RECORDS)))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertTrue(after.statusCode() != 503, "once drained a request is admitted: " + after.bodyAsString());
          ctx.completeNow();
        })));
  }

  /** {@code from}, then a quarter less each step (at least one), down to {@code floor}. */
  private static List<Long> quarterOffEach(long from, long floor) {
    List<Long> out = new ArrayList<>(List.of(from));
    for (long v = from; v > floor; out.add(v)) {
      v = Math.max(floor, Math.min(v - 1, v - v / 4));
    }
    return out;
  }

  /** Reads the node's predict-request limit every 25 ms into {@code seen} until it is {@code floor}. */
  private static Future<Void> limitsUntil(Vertx vertx, long floor, List<Long> seen) {
    return vertx.timer(25).compose(t -> {
      seen.add(admission(vertx).predictRequestLimit());
      return seen.get(seen.size() - 1) == floor ? Future.<Void>succeededFuture() : limitsUntil(vertx, floor, seen);
    });
  }

  private PredictionService service(Vertx vertx) {
    return new PredictionService(vertx, dir.toString(), new DataRoots("output and data roots", List.of(dir)),
        Duration.ZERO);
  }

  private static final String PREDICT = "/api/v1/pipelines/any/predict";
  private static final String RECORDS = "{\"records\":[{}]}";

  /** Opens {@code n} predict requests whose bodies never end, one after another, each admitted, into {@code held}. */
  private static Future<Void> holdOpen(Vertx vertx, HttpClient client, int port, int n, List<HttpClientRequest> held) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 1; i <= n; i++) {
      long count = i;
      chain = chain.compose(v -> open(client, port, PREDICT, RECORDS.length(), RECORDS.substring(0, 5)))
          .compose(req -> {
            held.add(req);
            return admitted(vertx, count);
          });
    }
    return chain;
  }

  /** Completes once the node's admission counts {@code n} predict requests. */
  private static Future<Void> admitted(Vertx vertx, long n) {
    return admission(vertx).predictRequests() == n ? Future.succeededFuture()
        : vertx.timer(5).compose(t -> admitted(vertx, n));
  }

  @Test
  void shedRequests_areLoggedOncePerIntervalWithTheirCount() {
    HttpErrors.ShedLog shed = new HttpErrors.ShedLog();
    assertTrue(shed.due(), "the first shed request is logged at once");
    for (int i = 0; i < 3; i++) {
      assertTrue(!shed.due(), "the next ones, within the interval, are only counted");
    }
    assertEquals(4, shed.take());
    assertEquals(0, shed.take());
  }

  @Test
  void theShapeScan_countsValuesAndTopLevelRecords() {
    Buffer body = Buffer.buffer("{\"x\":[1,2],\"records\":[{\"a\":[1,{}]},3,[4]],\"y\":{\"records\":[1]}}");
    assertEquals(3, JsonShape.decode(body, 100, 100).records());
    assertEquals(3, JsonShape.decode(body, 15, 100).records(), "15 values: within a limit of 15");
    assertEquals(413, assertThrows(HttpFailure.class, () -> JsonShape.decode(body, 14, 100)).status());
  }
}
