package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.NodeActors;
import io.busflow.data.io.DataRoots;
import io.busflow.data.io.FixedDecimals;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.testkit.Eventually;
import io.busflow.testkit.Stages;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/pipelines/{name}/predict} over real HTTP, with the real preprocessor, model and
 * coordinator actors: the demo pipeline is trained and scored once by a batch job on the bundled data, then
 * the same rows are predicted over HTTP.
 */
@ExtendWith(VertxExtension.class)
class PredictApiTest {

  private static final Path DATA = Path.of("data").toAbsolutePath();
  private static final int ROWS = 400;

  @TempDir
  static Path dir;
  private static int port;
  private static JsonObject report;
  private WebClient client;

  @BeforeAll
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  static void trainAndServe(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("out"));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.remove("report");
    Files.writeString(pipelines.resolve("churn-demo.json"), demo.encode());
    JsonObject untrained = demo.copy().put("name", "untrained");
    untrained.getJsonObject("preprocessing").put("path", "never.preprocessor.json");
    untrained.getJsonObject("model").put("path", "never.model.json");
    Files.writeString(pipelines.resolve("untrained.json"), untrained.encode());
    JsonObject options = new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())).put("pipelines", pipelines.toString());
    Stages stages = new Stages();
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("bodyLimitBytes", 200_000));
    PredictionService service = new PredictionService(vertx, pipelines.toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO);
    HttpBridge bridge = new HttpBridge(cfg, List.of(), List.of(new PredictApi(service)));
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployLoopStages(vertx, options))
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> PipelineClient.run(vertx, new PipelineProtocol.Run("churn-demo", null, null, new JsonObject()),
            p -> { }))
        .compose(r -> {
          report = r;
          return vertx.deployVerticle(bridge);
        })
        .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          port = bridge.actualPort();
          ctx.completeNow();
        })));
  }

  @BeforeEach
  void client(Vertx vertx) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  private Future<HttpResponse<Buffer>> predict(String pipeline, String body) {
    return client.post("/api/v1/pipelines/" + pipeline + "/predict").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body));
  }

  private static JsonObject records(JsonObject... records) {
    return new JsonObject().put("records", new JsonArray(List.of((Object[]) records)));
  }

  /** The first {@code n} rows of the bundled churn-new.csv as records: empty fields null, numbers as numbers. */
  static List<JsonObject> csvRecords(Path file, int n) throws IOException {
    List<JsonObject> out = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
      List<String> header = null;
      for (CsvRecord r : reader) {
        if (header == null) {
          header = r.getFields();
        } else if (out.size() < n) {
          out.add(record(header, r.getFields()));
        }
      }
    }
    return out;
  }

  private static JsonObject record(List<String> header, List<String> fields) {
    JsonObject r = new JsonObject();
    for (int j = 0; j < header.size(); j++) {
      String v = fields.get(j);
      boolean text = header.get(j).equals("customer_id") || header.get(j).equals("country")
          || header.get(j).equals("segment");
      r.put(header.get(j), v.isEmpty() ? null : text ? v : (Object) Double.parseDouble(v));
    }
    return r;
  }

  private static JsonObject error(HttpResponse<Buffer> r) {
    return Bridges.problem(r);
  }

  private static JsonObject churner() {
    return new JsonObject().put("customer_id", "C-1").put("age", 72).put("income", null).put("balance", 114137.69)
        .put("tenure_months", 28).put("num_products", 3).put("country", "NL").put("segment", "retail")
        .put("is_active", 0);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void predictions_overHttp_equalTheBatchJobsOnTheSameRows(VertxTestContext ctx) throws IOException {
    List<JsonObject> rows = csvRecords(DATA.resolve("churn-new.csv"), ROWS);
    assertTrue(rows.stream().anyMatch(r -> r.getValue("income") == null), "some rows have a missing income");
    predict("churn-demo", new JsonObject().put("records", new JsonArray(new ArrayList<>(rows))).encode())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertSameAsBatchOutput(r.bodyAsJsonObject().getJsonArray("predictions"), Path.of(report.getString("output")));
          ctx.completeNow();
        })));
  }

  /** {@code predictions} agree with the first rows of a batch job's output: id, probability (6 decimals), class. */
  static void assertSameAsBatchOutput(JsonArray predictions, Path output) throws IOException {
    List<CsvRecord> expected = new ArrayList<>();
    try (CsvReader<CsvRecord> out = CsvReader.builder().ofCsvRecord(output)) {
      out.forEach(expected::add);
    }
    assertEquals(List.of("customer_id", "probability", "prediction"), expected.get(0).getFields());
    assertTrue(predictions.size() > 0 && predictions.size() < expected.size());
    for (int i = 0; i < predictions.size(); i++) {
      JsonObject p = predictions.getJsonObject(i);
      List<String> line = expected.get(i + 1).getFields();
      assertEquals(line.get(0), p.getString("id"), "row " + i);
      assertEquals(line.get(1), FixedDecimals.format(p.getJsonObject("probabilities").getDouble("1"), 6), "row " + i);
      assertEquals(line.get(2), p.getValue("prediction").toString(), "row " + i);
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void predictions_areMadeOnTheBridgesEventLoop_byItsPerLoopStages_largerBatchesOnWorkers(Vertx vertx,
      VertxTestContext ctx) throws IOException {
    List<JsonObject> rows = csvRecords(DATA.resolve("churn-new.csv"), 300);
    Map<String, Long> before = replied(vertx);
    Map<String, Long> afterSmall = new TreeMap<>();
    predict("churn-demo", records(churner()).encode())
        .compose(one -> predict("churn-demo", new JsonObject().put("records", new JsonArray(new ArrayList<>(rows
            .subList(0, 64)))).encode()).map(many -> List.of(one, many)))
        .compose(small -> {
          afterSmall.putAll(replied(vertx));
          return predict("churn-demo", new JsonObject().put("records", new JsonArray(new ArrayList<>(rows))).encode())
              .map(large -> List.of(small.get(0), small.get(1), large));
        })
        .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
          answers.forEach(r -> assertEquals(200, r.statusCode(), r.bodyAsString()));
          for (String name : List.of("preprocess-loop", "model-loop")) {
            assertEquals(before.get(name) + 2, afterSmall.get(name), name + " answered 1 and 64 records: " + before
                + " → " + afterSmall);
          }
          for (String name : List.of("preprocess", "model")) {
            assertEquals(before.get(name), afterSmall.get(name), name + " (on workers) answered none of them: "
                + before + " → " + afterSmall);
          }
          // 300 records, more than options.inlineRows (256): the loop's preprocessor hands the request on
          Map<String, Long> after = replied(vertx);
          Map<String, Long> expected = new TreeMap<>(afterSmall);
          expected.merge("preprocess-loop", 1L, Long::sum);
          expected.merge("preprocess", 1L, Long::sum);
          expected.merge("model", 1L, Long::sum);
          assertEquals(expected, after);
          ctx.completeNow();
        })));
  }

  /** Requests answered so far, per actor name. */
  private static Map<String, Long> replied(Vertx vertx) {
    Map<String, Long> out = new TreeMap<>();
    NodeActors.of(vertx).instances().forEach(a -> out.merge(a.name(), a.repliedCount(), Long::sum));
    return out;
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void predict_answersIdPredictionProbabilitiesAndTheModelVersionPerRecord(VertxTestContext ctx) {
    String model = report.getJsonObject("training").getJsonObject("model").getString("id");
    predict("churn-demo", records(churner(), churner().put("customer_id", "C-2").put("is_active", 1)).encode())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          JsonObject body = r.bodyAsJsonObject();
          assertEquals("churn-demo", body.getString("pipeline"));
          assertEquals(model, body.getString("model"));
          JsonObject first = body.getJsonArray("predictions").getJsonObject(0);
          assertEquals("C-1", first.getString("id"));
          assertEquals(model, first.getString("model"));
          JsonObject p = first.getJsonObject("probabilities");
          assertEquals(1.0, p.getDouble("0") + p.getDouble("1"), 1e-12);
          assertEquals(p.getDouble("1") >= 0.5 ? 1 : 0, first.getInteger("prediction"));
          assertEquals("C-2", body.getJsonArray("predictions").getJsonObject(1).getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unknownPipeline_is404ListingTheKnownOnes(VertxTestContext ctx) {
    predict("nope", records(churner()).encode()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(404, r.statusCode());
      assertEquals("NOT_FOUND", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains("no pipeline 'nope'"), error(r).getString("detail"));
      assertTrue(error(r).getString("detail").contains("[churn-demo, untrained]"), error(r).getString("detail"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void untrainedPipeline_is409NamingThePipelineAndTheTrainJob(VertxTestContext ctx) {
    predict("untrained", records(churner()).encode()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(409, r.statusCode());
      assertEquals("CONFLICT", error(r).getString("code"));
      String m = error(r).getString("detail");
      assertTrue(m.contains("pipeline 'untrained' has not been trained") && m.contains("never.preprocessor.json")
          && m.contains("run its train job"), m);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void missingColumn_is422NamingTheRecordAndTheColumn(VertxTestContext ctx) {
    JsonObject noBalance = churner();
    noBalance.remove("balance");
    predict("churn-demo", records(churner(), noBalance).encode()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(422, r.statusCode());
      assertEquals("BAD_REQUEST", error(r).getString("code"));
      assertTrue(error(r).getString("detail").startsWith("records[1].balance is missing"), error(r).getString("detail"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void wrongType_is422NamingTheRecordTheColumnAndTheValue(VertxTestContext ctx) {
    predict("churn-demo", records(churner(), churner(), churner().put("age", "abc")).encode())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(422, r.statusCode());
          assertEquals("records[2].age: 'abc' is not a number; send a number or null", error(r).getString("detail"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aNumberPastTheDoublesRange_is422_asTheSameFieldInACsvIsABadRow(VertxTestContext ctx) {
    String body = records(churner(), churner()).encode().replaceFirst("\"balance\":[0-9.eE+-]+", "\"balance\":1e400");
    predict("churn-demo", body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertEquals("records[0].balance: the number is out of range (it reads as Infinity); send a finite number",
          error(r).getString("detail"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void bodyWithoutRecords_is422_andARecordThatIsNoObject_is422(VertxTestContext ctx) {
    predict("churn-demo", "{\"rows\":[]}")
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(422, r.statusCode());
            assertTrue(error(r).getString("detail").contains("{\"records\": [{\"column\": value"));
            assertTrue(error(r).getString("detail").endsWith("got an object with keys [rows]"), error(r).encode());
          });
          return predict("churn-demo", "{\"records\":{\"age\":3}}");
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(422, r.statusCode());
            assertTrue(error(r).getString("detail").endsWith("got 'records' as an object"), error(r).encode());
          });
          return predict("churn-demo", "{\"records\":[7]}");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(422, r.statusCode());
          assertTrue(error(r).getString("detail").startsWith("records[0] is not a JSON object"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void malformedJson_is400_andABodyOverTheLimit_is413(VertxTestContext ctx) {
    predict("churn-demo", "{\"records\":[")
        .compose(r -> {
          ctx.verify(() -> assertEquals(400, r.statusCode()));
          // as Python's json.dumps writes a missing value by default
          return predict("churn-demo", "{\"records\":[{\"age\":NaN}]}");
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(400, r.statusCode());
            assertTrue(error(r).getString("detail").contains("'NaN' is not a JSON value"), error(r).encode());
            assertTrue(error(r).getString("detail").contains("send null for a missing value"), error(r).encode());
          });
          return predict("churn-demo", "{\"records\":[" + "1,".repeat(150_000) + "1]}");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(413, r.statusCode());
          assertEquals("TOO_LARGE", error(r).getString("code"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void rewrittenArtifacts_areReloaded_andPredictionsNameTheNewModel(VertxTestContext ctx) throws IOException {
    Path out = dir.resolve("out");
    Files.copy(out.resolve("churn-demo.preprocessor.json"), out.resolve("reload.preprocessor.json"));
    Files.copy(out.resolve("churn-demo.model.json"), out.resolve("reload.model.json"));
    JsonObject def = new JsonObject(Files.readString(dir.resolve("pipelines").resolve("churn-demo.json")))
        .put("name", "reload");
    def.getJsonObject("preprocessing").put("path", "reload.preprocessor.json");
    def.getJsonObject("model").put("path", "reload.model.json");
    Files.writeString(dir.resolve("pipelines").resolve("reload.json"), def.encode());
    String body = records(churner()).encode();
    predict("reload", body)
        .compose(first -> {
          retrain(out.resolve("reload.model.json"));
          return predict("reload", body).map(second -> List.of(first.bodyAsJsonObject(), second.bodyAsJsonObject()));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          String before = both.get(0).getString("model");
          String after = both.get(1).getString("model");
          assertNotEquals(before, after);
          assertEquals(after, both.get(1).getJsonArray("predictions").getJsonObject(0).getString("model"));
          assertNotEquals(both.get(0).getJsonArray("predictions").getJsonObject(0).getJsonObject("probabilities"),
              both.get(1).getJsonArray("predictions").getJsonObject(0).getJsonObject("probabilities"));
          ctx.completeNow();
        })));
  }

  /** A "newer train job": the same model with another intercept, written over the old file. */
  private static void retrain(Path model) {
    try {
      JsonObject state = new JsonObject(Files.readString(model));
      state.put("intercept", state.getDouble("intercept") + 0.5);
      Files.writeString(model, state.encode());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void stageThatNeverAnswers_is504NamingItsAddress(VertxTestContext ctx) {
    withStubStages(ctx, msg -> io.vertx.core.Promise.promise().future(), r -> {
      assertEquals(504, r.statusCode());
      assertEquals("TIMEOUT", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains(StageProtocol.PREPROCESS_ADDRESS), error(r).getString("detail"));
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void stageThatFails_is500WithoutAStackTrace(VertxTestContext ctx) {
    withStubStages(ctx, msg -> {
      throw new IllegalStateException("stub bug");
    }, r -> {
      assertEquals(500, r.statusCode());
      assertEquals("ACTOR_FAILED", error(r).getString("code"));
      assertTrue(!r.bodyAsString().contains("at io.busflow"), r.bodyAsString());
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void fullMailbox_is503WithRetryAfter_namingTheStage(VertxTestContext ctx) {
    withStubStages(ctx, msg -> Future.failedFuture(new io.busflow.actor.ActorException(
        io.busflow.actor.ErrorCode.MAILBOX_FULL, "actor 'preprocess' at '" + StageProtocol.PREPROCESS_ADDRESS
        + "' has a full mailbox (64 queued, capacity 64); retry later")), r -> {
      assertEquals(503, r.statusCode());
      assertEquals("MAILBOX_FULL", error(r).getString("code"));
      assertTrue(error(r).getString("detail").contains(StageProtocol.PREPROCESS_ADDRESS), error(r).getString("detail"));
      assertTrue(r.getHeader("Retry-After") != null && Integer.parseInt(r.getHeader("Retry-After")) > 0,
          "Retry-After: " + r.getHeader("Retry-After"));
    });
  }

  /**
   * A bridge (request timeout 400 ms) on its own Vert.x with stub stages: they answer the loads as the real
   * ones would, and transform requests with {@code transform}; {@code check} verifies the predict response.
   */
  private void withStubStages(VertxTestContext ctx, Function<Object, Future<?>> transform,
                              java.util.function.Consumer<HttpResponse<Buffer>> check) {
    Vertx other = Vertx.vertx();
    PredictionService service = new PredictionService(other, dir.resolve("pipelines").toString(),
        new DataRoots("roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO);
    HttpBridge bridge = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("requestTimeoutMs", 400)), List.of(), List.of(new PredictApi(service)));
    JsonArray features = new JsonArray(List.of("age"));
    JsonObject inputs = new JsonObject().put("age", new JsonObject().put("type", "numeric").put("missingAllowed", true));
    Future.all(
            Bridges.actor(other, StageProtocol.PREPROCESS_ADDRESS, msg -> msg instanceof JsonObject
                ? Future.succeededFuture(new JsonObject().put("preprocessor", "pp-stub").put("features", features)
                    .put("inputs", inputs)) : transform.apply(msg)),
            Bridges.actor(other, StageProtocol.MODEL_ADDRESS, msg -> Future.succeededFuture(new JsonObject()
                .put("model", "stub-1").put("features", features).put("output", new JsonObject()
                    .put("prediction", "prediction").put("classes", new JsonArray(List.of(0.0, 1.0)))
                    .put("probabilities", new JsonArray(List.of("p_0", "p_1"))).put("positive", "p_1")))))
        .compose(v -> other.deployVerticle(bridge))
        .compose(id -> WebClient.create(other).post(bridge.actualPort(), "127.0.0.1",
            "/api/v1/pipelines/churn-demo/predict").sendJsonObject(records(churner())))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          other.close();
          check.accept(r);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void noModelActor_is503NamingTheAddress(VertxTestContext ctx) throws IOException {
    Vertx bare = Vertx.vertx();
    PredictionService service = new PredictionService(bare, dir.resolve("pipelines").toString(),
        new DataRoots("roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO);
    HttpBridge alone = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)), List.of(),
        List.of(new PredictApi(service)));
    bare.deployVerticle(alone)
        .compose(id -> WebClient.create(bare).post(alone.actualPort(), "127.0.0.1",
            "/api/v1/pipelines/churn-demo/predict").sendJsonObject(records(churner())))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          bare.close();
          assertEquals(503, r.statusCode());
          assertEquals("NO_ACTOR", error(r).getString("code"));
          assertTrue(error(r).getString("detail").contains("busflow."), error(r).getString("detail"));
          ctx.completeNow();
        })));
  }

  /**
   * What an answer takes to make counts in {@code http.limits.bodyBytesInFlight} before the stages are asked: a
   * request whose answer alone is larger is refused with 413 saying how many records fit, and one that fits is
   * served; everything is given back when the responses end.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anAnswerLargerThanBodyBytesInFlight_is413SayingHowManyRecordsFit(VertxTestContext ctx) throws IOException {
    List<JsonObject> rows = csvRecords(DATA.resolve("churn-new.csv"), ROWS);
    Vertx other = Vertx.vertx(); // a node of its own: its admission counts with the small limits
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("bodyLimitBytes", 100_000).put("limits", new JsonObject().put("bodyBytesInFlight", 150_000)));
    PredictionService service = new PredictionService(other, dir.resolve("pipelines").toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO);
    HttpBridge small = new HttpBridge(cfg, List.of(), List.of(new PredictApi(service)));
    WebClient web = WebClient.create(other);
    long perRecord = io.busflow.pipeline.protocol.PredictionJson.RECORD_BYTES
        + 2 * (io.busflow.pipeline.protocol.PredictionJson.CLASS_BYTES + 2 * "0".length());
    new Stages().deployStages(other, new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
            .put("outputRoots", new JsonArray().add(dir.resolve("out").toString()))
            .put("pipelines", dir.resolve("pipelines").toString()))
        .compose(v -> other.deployVerticle(small))
        .compose(id -> web.post(small.actualPort(), "127.0.0.1", "/api/v1/pipelines/churn-demo/predict")
            .sendJsonObject(new JsonObject().put("records", new JsonArray(new ArrayList<>(rows.subList(0, 300))))))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(413, r.statusCode(), r.bodyAsString());
            JsonObject problem = error(r);
            assertEquals("TOO_LARGE", problem.getString("code"));
            String detail = problem.getString("detail");
            assertTrue(detail.startsWith("the answer to 300 records of this pipeline (its model has 2 classes, "),
                detail);
            assertTrue(detail.contains("http.limits.bodyBytesInFlight"), detail);
            assertTrue(detail.contains("send at most " + 300 * 75_000 / (300 * perRecord) + " records per request"),
                detail);
          });
          return web.post(small.actualPort(), "127.0.0.1", "/api/v1/pipelines/churn-demo/predict")
              .sendJsonObject(new JsonObject().put("records", new JsonArray(new ArrayList<>(rows.subList(0, 50)))));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals(50, r.bodyAsJsonObject().getJsonArray("predictions").size());
          });
          // given back when the responses have ended, which the client may see first
          return Eventually.until(other, () -> Admission.of(other, cfg).bodyBytes() == 0);
        })
        .onComplete(ar -> {
          other.close();
          ctx.verify(() -> assertTrue(ar.succeeded(), String.valueOf(ar.cause())));
          ctx.completeNow();
        });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aPipelineWhoseSavedStatesPassServedStateBytes_isRefusedNamingThePipelineAndTheBound(Vertx vertx,
      VertxTestContext ctx) throws IOException {
    // each file within half the bound (read), both together past it (not kept)
    long bound = 2 * Math.max(Files.size(dir.resolve("out/churn-demo.preprocessor.json")),
        Files.size(dir.resolve("out/churn-demo.model.json")));
    PredictionService small = new PredictionService(vertx, dir.resolve("pipelines").toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO, bound);
    vertx.getOrCreateContext().runOnContext(v -> small.predict("churn-demo", records(churner()), "cid-small",
        Duration.ofSeconds(10)).onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.BAD_REQUEST, e.code(), e.getMessage());
          assertTrue(e.getMessage().contains("'churn-demo' takes about") && e.getMessage().contains(bound
              + "-byte budget") && e.getMessage().contains("http.limits.servedStateBytes"), e.getMessage());
          ctx.completeNow();
        }))));
  }

  /** A saved state file larger than half the bound is not even read: TOO_LARGE naming the file, sizes and key. */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aSavedStateFilePastHalfServedStateBytes_isRefusedBeforeItIsRead(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    long size = Files.size(dir.resolve("out/churn-demo.preprocessor.json"));
    PredictionService small = new PredictionService(vertx, dir.resolve("pipelines").toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO, 1024);
    vertx.getOrCreateContext().runOnContext(v -> small.predict("churn-demo", records(churner()), "cid-small",
        Duration.ofSeconds(10)).onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.TOO_LARGE, e.code(), e.getMessage());
          assertTrue(e.getMessage().startsWith("'churn-demo.preprocessor.json' is " + size + " bytes, more than the "
              + "512 bytes a saved state may have to be served for predictions"), e.getMessage());
          assertTrue(e.getMessage().endsWith("pipeline 'churn-demo': point preprocessing.path at the file its train "
              + "job saved, or raise http.limits.servedStateBytes"), e.getMessage());
          ctx.completeNow();
        }))));
  }
}
