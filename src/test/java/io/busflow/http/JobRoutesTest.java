package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs routes over real HTTP against the real coordinator and stages on a generated churn table: every
 * route's success and error mappings, Server-Sent Events of a real job to its end, cancellation.
 */
@ExtendWith(VertxExtension.class)
class JobRoutesTest {

  /** Heartbeat of the event streams in these tests, short so that a test sees some. */
  private static final long HEARTBEAT_MS = 200;

  @TempDir
  Path dir;
  private final Stages stages = new Stages();
  private final JobRoutes routes = new JobRoutes(HEARTBEAT_MS);
  private WebClient client;
  private HttpClient http;
  private int port;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir.resolve("big.csv"), 20000, 2, null);
    Files.writeString(dir.resolve("pipelines/churn.json"), pipeline("churn", "churn.csv", 500).encodePrettily());
    Files.writeString(dir.resolve("pipelines/slow.json"), pipeline("slow", "big.csv", 20).encodePrettily());
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> Bridges.start(vertx, new JsonObject(), List.of(), List.of(routes)))
        .onComplete(ctx.succeeding(p -> {
          port = p;
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
          http = vertx.createHttpClient();
          ctx.completeNow();
        }));
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  /** Train on {@code source}, evaluate on a quarter, score it into NAME-scored.csv, {@code batchSize} rows a batch. */
  static JsonObject pipeline(String name, String source, int batchSize) {
    JsonArray columns = new JsonArray().add("age").add("income");
    JsonArray steps = new JsonArray()
        .add(new JsonObject().put("impute", new JsonObject().put("strategy", "median").put("columns", columns)))
        .add(new JsonObject().put("scale", new JsonObject().put("method", "standard").put("columns", columns)))
        .add(new JsonObject().put("onehot", new JsonObject().put("columns", new JsonArray().add("country"))));
    return new JsonObject().put("name", name).put("mode", "train-then-score").put("source", source)
        .put("label", "churned").put("id", "customer_id").put("split", new JsonObject().put("test", 0.25))
        .put("preprocessing", new JsonObject().put("steps", steps).put("path", name + "-pp.json"))
        .put("model", new JsonObject().put("type", "logistic").put("path", name + "-model.json"))
        .put("score", new JsonObject().put("source", source))
        .put("output", new JsonObject().put("path", name + "-scored.csv"))
        .put("batchSize", batchSize).put("batchesInFlight", 1);
  }

  private Future<HttpResponse<Buffer>> post(String body) {
    return client.post(JobRoutes.PATH).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
  }

  private Future<String> start(JsonObject body) {
    return post(body.encode()).map(r -> {
      assertEquals(202, r.statusCode(), r.bodyAsString());
      return r.bodyAsJsonObject().getString("job");
    });
  }

  private Future<Sse.Stream> events(String job) {
    return Sse.read(http, port, JobRoutes.PATH + "/" + job + "/events");
  }

  /** Cancels {@code job} and waits for its end, so that nothing of it runs on after the test. */
  private Future<Sse.Stream> cancelAndAwait(String job) {
    return client.delete(JobRoutes.PATH + "/" + job).send().compose(r -> events(job));
  }

  private static JsonObject error(HttpResponse<Buffer> r) {
    return Bridges.problem(r);
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code, String... parts) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, error(r).getString("code"), r.bodyAsString());
    for (String part : parts) {
      assertTrue(error(r).getString("detail").contains(part), "'" + part + "' in " + r.bodyAsString());
    }
    assertEquals(r.getHeader(Correlation.HEADER), error(r).getString("correlationId"));
  }

  @Test
  void runRequest_takesPartitionsAsANumberOrAuto_andRefusesOtherKinds() {
    assertEquals(4, JobRoutes.runRequest(new JsonObject().put("pipeline", "p").put("partitions", 4)).overrides()
        .getValue("partitions"));
    assertEquals("auto", JobRoutes.runRequest(new JsonObject().put("pipeline", "p").put("partitions", "auto"))
        .overrides().getValue("partitions"));
    HttpFailure e = org.junit.jupiter.api.Assertions.assertThrows(HttpFailure.class,
        () -> JobRoutes.runRequest(new JsonObject().put("pipeline", "p").put("partitions", true)));
    assertTrue(e.getMessage().contains("'partitions' is a boolean but must be a number or \"auto\""), e.getMessage());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void post_answers202WithTheJobIdLocationAndLinks(VertxTestContext ctx) {
    post(new JsonObject().put("pipeline", "churn").put("job", "j-202").encode())
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(202, r.statusCode(), r.bodyAsString());
            assertEquals("/api/v1/jobs/j-202", r.getHeader("Location"));
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("j-202", body.getString("job"));
            assertEquals("running", body.getString("state"));
            assertEquals("busflow.jobs.j-202.progress", body.getString("progressAddress"));
            assertEquals("/api/v1/jobs/j-202/events", body.getJsonObject("links").getString("events"));
          });
          return events("j-202");
        })
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals("succeeded", s.last().data().getString("state"), s.raw());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void events_streamTheOrderedProgressOfARealJob_thenItsReport_thenTheStreamCloses(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow"))
        .compose(this::events)
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals(200, s.status());
          assertTrue(s.contentType().startsWith("text/event-stream"), s.contentType());
          List<Sse.Event> progress = s.named("progress");
          assertFalse(progress.isEmpty(), "some progress before the end: " + s.raw());
          assertEquals(progress.size() + 1, s.events().size(), "progress events, then one report: " + s.raw());
          long rows = -1;
          long elapsed = -1;
          for (int i = 0; i < progress.size(); i++) {
            JsonObject p = progress.get(i).data();
            assertEquals(Integer.toString(i + 1), progress.get(i).id());
            assertEquals("running", p.getString("state"));
            assertTrue(p.getLong("rowsDone") >= rows && p.getLong("elapsedMs") >= elapsed, s.raw());
            assertTrue(p.getLong("rowsTotal") >= p.getLong("rowsDone") && p.containsKey("rowsPerSecond"), p.encode());
            rows = p.getLong("rowsDone");
            elapsed = p.getLong("elapsedMs");
          }
          assertTrue(rows > 0, "rows were read while the stream was open: " + s.raw());
          Sse.Event report = s.last();
          assertEquals("report", report.name());
          assertEquals(JobEvents.FINAL_ID, report.id());
          assertEquals("succeeded", report.data().getString("state"), report.data().encodePrettily());
          assertTrue(report.data().getLong("rowsDone") >= rows, report.data().encode());
          assertNotNull(report.data().getJsonObject("metrics").getJsonObject("training").getDouble("accuracy"));
          assertTrue(s.comments().contains("keep-alive"), "heartbeats while the job runs: " + s.raw());
          assertEquals(0, routes.openStreams(), "the subscription ended with the stream");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void events_ofAJobThatEndedAlready_giveTheReportAtOnceAndClose(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "churn"))
        .compose(job -> events(job).compose(first -> events(job)))
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals(1, s.events().size(), s.raw());
          assertEquals("report", s.last().name());
          assertEquals("succeeded", s.last().data().getString("state"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void events_ofAnUnknownJob_are404JsonAndLeaveNoSubscription(VertxTestContext ctx) {
    client.get(JobRoutes.PATH + "/nope/events").send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertError(r, 404, "NOT_FOUND", "'nope'");
      assertEquals(0, routes.openStreams());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void events_afterTheReportWasSeen_are204SoThatEventSourceStopsReconnecting(VertxTestContext ctx) {
    client.get(JobRoutes.PATH + "/any/events").putHeader("Last-Event-ID", "final").send()
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(204, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void events_aClientThatDisconnects_leavesNoSubscriptionBehind(Vertx vertx, VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow").put("job", "gone"))
        .compose(job -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(port).setURI(JobRoutes.PATH + "/gone/events")))
        .compose(req -> req.send())
        .onComplete(ctx.succeeding(resp -> resp.handler(chunk -> {
          ctx.verify(() -> assertEquals(1, routes.openStreams()));
          resp.request().connection().close();
          vertx.setPeriodic(20, id -> {
            if (routes.openStreams() == 0) {
              vertx.cancelTimer(id);
              cancelAndAwait("gone").onComplete(ctx.succeedingThenComplete());
            }
          });
          resp.handler(null);
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void post_bodyNotJson_is400(VertxTestContext ctx) {
    post("{\"pipeline\":").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertError(r, 400, "BAD_REQUEST", "not valid JSON");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void post_jsonThatIsNotARunRequest_is422NamingTheProblem(VertxTestContext ctx) {
    post("[1]")
        .compose(r -> {
          ctx.verify(() -> assertError(r, 422, "BAD_REQUEST", "expects a JSON object", "a JSON array"));
          return post("{\"pipeline\":\"churn\",\"outptu\":\"x.csv\"}");
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 422, "BAD_REQUEST", "unknown key 'outptu'", "output"));
          return post("{\"pipeline\":7}");
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 422, "BAD_REQUEST", "'pipeline' is a number but must be a string"));
          return post("{\"mode\":\"train\"}");
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 422, "BAD_REQUEST", "'pipeline' is missing"));
          return post("{\"pipeline\":\"churn\",\"mode\":\"fast\"}");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertError(r, 422, "BAD_REQUEST", "mode", "fast");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void post_unknownPipeline_is404ListingTheKnownOnes(VertxTestContext ctx) {
    post("{\"pipeline\":\"churm\"}").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertError(r, 404, "NOT_FOUND", "no pipeline 'churm'", "[churn, slow]");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void post_aHugePipelineName_is422QuotingItsStartOnly(VertxTestContext ctx) {
    String name = "x".repeat(1_000_000);
    post(new JsonObject().put("pipeline", name).encode()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertError(r, 422, "BAD_REQUEST", "pipeline name 'xxxx", "...' is not a plain name (1 to 64 letters");
      assertTrue(error(r).getString("detail").length() < 300, error(r).getString("detail"));
      ctx.completeNow();
    })));
  }

  @Test
  void anErrorMessageOverTheLimit_keepsItsStartAndItsRemedy() {
    String message = "value 'x" + "x".repeat(10_000) + "'; send a shorter one";
    String bounded = HttpErrors.bounded(message);
    String cut = " … [" + (message.length() - HttpErrors.MAX_DETAIL) + " characters left out] … ";
    assertEquals(HttpErrors.MAX_DETAIL + cut.length(), bounded.length(), bounded);
    assertTrue(bounded.startsWith("value 'xxx") && bounded.endsWith("'; send a shorter one") && bounded.contains(cut),
        bounded);
    assertEquals("short", HttpErrors.bounded("short"));
  }

  /**
   * {@code report} overrides where a job's report goes, as {@code output} does its predictions, so that jobs of one
   * pipeline can run at once: the report is written there, and it is locked like an output while the job runs.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void post_reportOverridesTheReportPath_whichIsLockedWhileTheJobRuns(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow").put("job", "busy").put("report", "busy-report.json"))
        .compose(job -> post(new JsonObject().put("pipeline", "churn").put("report", "busy-report.json").encode()))
        .compose(r -> {
          ctx.verify(() -> assertError(r, 409, "CONFLICT", "busy-report.", "job 'busy'")); // .json or .failed.json
          return cancelAndAwait("busy");
        })
        .compose(cancelled -> start(new JsonObject().put("pipeline", "churn").put("job", "mine")
            .put("report", "mine-report.json")))
        .compose(this::events)
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals("succeeded", s.last().data().getString("state"), s.raw());
          JsonObject written = new JsonObject(Files.readString(dir.resolve("out/mine-report.json")));
          assertEquals("mine", written.getString("job"), written.encodePrettily());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void post_outputOrIdInUseByARunningJob_is409Conflict(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow").put("job", "first"))
        .compose(job -> post(new JsonObject().put("pipeline", "churn").put("output", "slow-scored.csv").encode()))
        .compose(r -> {
          ctx.verify(() -> assertError(r, 409, "CONFLICT", "slow-scored.csv"));
          return post(new JsonObject().put("pipeline", "churn").put("job", "first").encode());
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 409, "CONFLICT", "job 'first' is running already"));
          return cancelAndAwait("first");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void get_whileRunningShowsRowsAndRate_andOnceEndedTheReportWithMetrics(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow").put("job", "watched"))
        .compose(job -> client.get(JobRoutes.PATH + "/watched").send())
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject running = r.bodyAsJsonObject();
            assertEquals("running", running.getString("state"), running.encode());
            for (String key : List.of("rowsDone", "rowsTotal", "rowsPerSecond", "elapsedMs", "phase")) {
              assertTrue(running.containsKey(key), key + " in " + running.encode());
            }
            assertEquals("/api/v1/jobs/watched/events", running.getJsonObject("links").getString("events"));
          });
          return events("watched");
        })
        .compose(s -> client.get(JobRoutes.PATH + "/watched").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject ended = r.bodyAsJsonObject();
          assertEquals("succeeded", ended.getString("state"), ended.encodePrettily());
          assertTrue(ended.getLong("rowsDone") > 0);
          assertEquals(ended.getLong("rowsDone"), ended.getLong("rowsTotal"));
          assertTrue(ended.getJsonObject("metrics").getJsonObject("training").containsKey("roc_auc"), ended.encode());
          assertNotNull(ended.getJsonObject("scoring"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void get_unknownOrImpossibleId_is404(VertxTestContext ctx) {
    client.get(JobRoutes.PATH + "/nope").send()
        .compose(r -> {
          // the remedy names this API's list, not the coordinator's event-bus request
          ctx.verify(() -> assertError(r, 404, "NOT_FOUND", "no job 'nope' on any coordinator; GET /api/v1/jobs lists"));
          return client.get(JobRoutes.PATH + "/nope/events").send();
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 404, "NOT_FOUND", "no job 'nope' on any coordinator; GET /api/v1/jobs lists"));
          return client.get(JobRoutes.PATH + "/a%20b").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertError(r, 404, "NOT_FOUND", "job ids are 1 to 64 letters");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void list_pagesSummariesOfRunningAndEndedJobs_newestFirst(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "churn").put("job", "done-1"))
        .compose(job -> events(job))
        .compose(s -> start(new JsonObject().put("pipeline", "slow").put("job", "running-1")))
        .compose(job -> client.get(JobRoutes.PATH).send())
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject page = r.bodyAsJsonObject();
            assertEquals(2, page.getInteger("total"));
            assertEquals(0, page.getInteger("offset"));
            assertEquals(50, page.getInteger("limit"));
            JsonArray jobs = page.getJsonArray("jobs");
            assertEquals("running-1", jobs.getJsonObject(0).getString("job"), "newest first");
            JsonObject done = find(jobs, "done-1");
            assertEquals("succeeded", done.getString("state"));
            assertEquals("churn", done.getString("pipeline"));
            assertEquals("train-then-score", done.getString("mode"));
            assertTrue(done.getLong("rowsDone") > 0, done.encode());
            assertNotNull(done.getString("startedAt"));
            assertNotNull(done.getString("endedAt"));
            assertFalse(done.containsKey("training"), "a summary, never a whole report: " + done.encode());
            assertEquals("running", find(jobs, "running-1").getString("state"));
            assertNull(find(jobs, "running-1").getString("endedAt"));
          });
          return client.get(JobRoutes.PATH + "?limit=1&offset=1").send();
        })
        .compose(r -> {
          ctx.verify(() -> {
            JsonObject page = r.bodyAsJsonObject();
            assertEquals(2, page.getInteger("total"), page.encode());
            assertEquals(1, page.getJsonArray("jobs").size(), page.encode());
            assertEquals("done-1", page.getJsonArray("jobs").getJsonObject(0).getString("job"));
          });
          return client.get(JobRoutes.PATH + "?limit=0").send();
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals("BAD_REQUEST", Bridges.errorCode(r.bodyAsJsonObject()), r.bodyAsString()));
          ctx.verify(() -> assertEquals(400, r.statusCode()));
          return client.get(JobRoutes.PATH + "?offset=x").send();
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(400, r.statusCode(), r.bodyAsString()));
          return client.get(JobRoutes.PATH + "?limit=1&limit=2").send();
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(400, r.statusCode(), r.bodyAsString());
            assertTrue(r.bodyAsString().contains("limit is given 2 times (1, 2)"), r.bodyAsString());
          });
          return cancelAndAwait("running-1");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject find(JsonArray jobs, String id) {
    return jobs.stream().map(JsonObject.class::cast).filter(j -> id.equals(j.getString("job"))).findFirst()
        .orElseThrow(() -> new AssertionError("no job " + id + " in " + jobs.encode()));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void delete_cancelsTheJob_whichEndsCancelledWithoutAnOutputFile(VertxTestContext ctx) {
    start(new JsonObject().put("pipeline", "slow").put("job", "doomed"))
        .compose(job -> client.delete(JobRoutes.PATH + "/doomed").send())
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(202, r.statusCode(), r.bodyAsString());
            assertEquals("cancelling", r.bodyAsJsonObject().getString("state"));
          });
          return events("doomed");
        })
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals("cancelled", s.last().data().getString("state"), s.raw());
          assertFalse(Files.exists(dir.resolve("out/slow-scored.csv")), "no output file");
          try (var files = Files.list(dir.resolve("out"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void delete_unknownJob_is404_andAJobThatEnded_is409(VertxTestContext ctx) {
    client.delete(JobRoutes.PATH + "/nope").send()
        .compose(r -> {
          ctx.verify(() -> assertError(r, 404, "NOT_FOUND", "no job 'nope' on any coordinator; GET /api/v1/jobs lists"));
          return start(new JsonObject().put("pipeline", "churn").put("job", "finished"));
        })
        .compose(job -> events(job))
        .compose(s -> client.delete(JobRoutes.PATH + "/finished").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertError(r, 409, "CONFLICT", "job 'finished' has ended already (succeeded)");
          ctx.completeNow();
        })));
  }
}
