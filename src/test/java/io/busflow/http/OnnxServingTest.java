package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.serving.Catalog;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.stage.onnx.OnnxFixtures;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ONNX model trained in Python, served three ways with the real stage actors: a batch score job, the
 * predict route ({@code POST /api/v1/pipelines/{name}/predict}) and a plain verticle asking the model stage
 * over the event bus. Each agrees with scikit-learn's own predictions (make_onnx.py): the same class on every
 * row, probabilities and values within 1e-5. The pipelines have no preprocessing: the features pass through.
 */
@ExtendWith(VertxExtension.class)
class OnnxServingTest {

  private static final Path DATA = OnnxFixtures.DIR.toAbsolutePath();
  private static final double TOL = 1e-5;

  @TempDir
  static Path dir;
  private static int port;
  private WebClient client;

  @BeforeAll
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  static void serve(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("out"));
    for (OnnxFixtures.Case c : OnnxFixtures.all()) {
      Files.writeString(pipelines.resolve(c.model() + ".json"), pipeline(c).encodePrettily());
    }
    JsonObject options = new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())).put("pipelines", pipelines.toString());
    Stages stages = new Stages();
    PredictionService service = new PredictionService(vertx, pipelines.toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)), Duration.ZERO);
    HttpBridge bridge = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)
        .put("bodyLimitBytes", 1_000_000)), List.of(), List.of(new PredictApi(service)));
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> vertx.deployVerticle(bridge))
        .onComplete(ctx.succeeding(id -> {
          port = bridge.actualPort();
          ctx.completeNow();
        }));
  }

  /** A score pipeline for fixture {@code c}: its test rows through its ONNX model, no preprocessing. */
  static JsonObject pipeline(OnnxFixtures.Case c) {
    return new JsonObject().put("mode", "score").put("source", c.dataset() + ".csv").put("id", "id")
        .put("model", new JsonObject().put("type", "onnx").put("path", c.model() + ".onnx")
            .put("params", new JsonObject(c.params())))
        .put("output", new JsonObject().put("path", c.model() + "-scores.csv").put("decimals", 15));
  }

  @BeforeEach
  void client(Vertx vertx) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelsList_showsEachServedOnnxModel_withItsHashAndOutputSchema(Vertx vertx, VertxTestContext ctx) {
    Catalog catalog = new Catalog(vertx, dir.resolve("pipelines").toString(),
        new DataRoots("output and data roots", List.of(dir.resolve("out"), DATA)));
    catalog.models().onComplete(ctx.succeeding(body -> ctx.verify(() -> {
      JsonArray models = body.getJsonArray("models");
      assertEquals(OnnxFixtures.all().size(), models.size(), models.encodePrettily());
      JsonObject gb = models.stream().map(JsonObject.class::cast)
          .filter(m -> m.getString("name").equals("breast_cancer_gb")).findFirst().orElseThrow();
      assertEquals("onnx", gb.getString("type"));
      assertEquals("score", gb.getString("mode"));
      assertTrue(gb.getString("version").matches("onnx-[0-9a-f]{16}"), "a content hash: " + gb.encode());
      JsonObject output = gb.getJsonObject("output");
      assertEquals(2, output.getJsonArray("classes").size(), gb.encode());
      assertEquals(output.getJsonArray("probabilities").getString(1), output.getString("positive"));
      assertEquals(30, gb.getJsonArray("features").size(), "breast_cancer's 30 features: " + gb.encode());
      JsonObject tree = models.stream().map(JsonObject.class::cast)
          .filter(m -> m.getString("name").equals("diabetes_tree")).findFirst().orElseThrow();
      assertEquals(new JsonArray(), tree.getJsonObject("output").getJsonArray("classes"), "a regressor");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void batchScoreJob_writesScikitLearnsPredictions(Vertx vertx, VertxTestContext ctx) {
    List<String> models = List.of("breast_cancer_gb", "iris_linear", "diabetes_tree", "diabetes_linear_double",
        "diabetes_linear_b4");
    Future<Void> all = Future.succeededFuture();
    for (String m : models) {
      all = all.compose(v -> PipelineClient.run(vertx, new PipelineProtocol.Run(m, null, null, new JsonObject()), p -> { })
          .map(report -> {
            ctx.verify(() -> assertJobOutput(m, report));
            return null;
          }));
    }
    all.onComplete(ctx.succeedingThenComplete());
  }

  private static void assertJobOutput(String model, JsonObject report) {
    assertEquals("succeeded", report.getString("state"), report.encodePrettily());
    Batch out = OnnxFixtures.read(Path.of(report.getString("output")));
    Batch expected = OnnxFixtures.get(model).expected();
    assertEquals(expected.rowCount(), out.rowCount());
    for (int i = 0; i < expected.rowCount(); i++) {
      assertEquals(expected.strings("id").get(i), out.strings("id").get(i), "row " + i);
      double tol = expected.columnNames().size() == 2 ? TOL : 0;
      assertEquals(expected.numeric("prediction").get(i), out.numeric("prediction").get(i), tol, model + " row " + i);
      if (expected.columnNames().size() == 4) {
        assertEquals(expected.numeric("p_1").get(i), out.numeric("probability").get(i), TOL, model + " row " + i);
      } else if (expected.columnNames().size() > 4) {
        assertEquals(expected.numeric("p_2").get(i), out.numeric("p_2").get(i), TOL, model + " row " + i);
      }
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void predictRoute_answersScikitLearnsPredictions(VertxTestContext ctx) {
    List<String> models = List.of("breast_cancer_gb", "iris_linear", "wine_mlp", "diabetes_tree", "diabetes_linear_b1");
    Future<Void> all = Future.succeededFuture();
    for (String m : models) {
      OnnxFixtures.Case c = OnnxFixtures.get(m);
      all = all.compose(v -> predict(m, new JsonObject().put("records", records(c))).map(r -> {
        ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertRows(c, r.bodyAsJsonObject().getJsonArray("predictions"));
        });
        return null;
      }));
    }
    all.onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> predict(String pipeline, JsonObject body) {
    return client.post("/api/v1/pipelines/" + pipeline + "/predict").putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer());
  }

  /** The test rows of {@code c} as JSON records: id as text, features as numbers. */
  static JsonArray records(OnnxFixtures.Case c) {
    Batch rows = c.rows();
    JsonArray out = new JsonArray();
    for (int i = 0; i < rows.rowCount(); i++) {
      JsonObject r = new JsonObject().put("id", rows.strings("id").get(i));
      for (String f : c.features()) {
        r.put(f, rows.numeric(f).get(i));
      }
      out.add(r);
    }
    return out;
  }

  /** {@code predictions} (id, prediction, probabilities by class) equal scikit-learn's for fixture {@code c}. */
  static void assertRows(OnnxFixtures.Case c, JsonArray predictions) {
    Batch expected = c.expected();
    assertEquals(expected.rowCount(), predictions.size());
    for (int i = 0; i < expected.rowCount(); i++) {
      JsonObject p = predictions.getJsonObject(i);
      assertEquals(expected.strings("id").get(i), p.getString("id"));
      boolean classifier = expected.columnNames().size() > 2;
      assertEquals(expected.numeric("prediction").get(i), p.getDouble("prediction"), classifier ? 0 : TOL,
          c.model() + " row " + i);
      for (String col : expected.columnNames().subList(2, expected.columnNames().size())) {
        assertEquals(expected.numeric(col).get(i), p.getJsonObject("probabilities").getDouble(col.substring(2)), TOL,
            c.model() + " row " + i + " " + col);
      }
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void plainVerticle_asksTheModelStage(Vertx vertx, VertxTestContext ctx) {
    OnnxFixtures.Case c = OnnxFixtures.get("wine_mlp");
    AskingVerticle asker = new AskingVerticle(c);
    vertx.deployVerticle(asker).onComplete(ctx.succeeding(id -> ctx.verify(() -> {
      Batch expected = c.expected();
      JsonArray rows = asker.reply.getJsonArray("rows");
      assertEquals(expected.rowCount(), rows.size());
      for (int i = 0; i < rows.size(); i++) {
        JsonObject r = rows.getJsonObject(i);
        assertEquals(expected.strings("id").get(i), r.getString("id"));
        assertEquals(expected.numeric("prediction").get(i), r.getDouble("prediction"), 0, "row " + i);
        for (String col : List.of("p_0", "p_1", "p_2")) {
          assertEquals(((NumericColumn) expected.column(col)).get(i), r.getDouble(col), TOL, "row " + i + " " + col);
        }
      }
      assertTrue(asker.reply.getString("model").startsWith("onnx-"));
      ctx.completeNow();
    })));
  }

  /** A user's verticle: loads an ONNX model into the model stage, then asks it for predictions, in JSON. */
  static final class AskingVerticle extends VerticleBase {
    private final OnnxFixtures.Case c;
    volatile JsonObject reply;

    AskingVerticle(OnnxFixtures.Case c) {
      this.c = c;
    }

    @Override
    public Future<?> start() {
      JsonObject state = new JsonObject().put("type", "onnx").put("file", c.model() + ".onnx")
          .put("params", new JsonObject(Map.copyOf(c.params())));
      return vertx.eventBus().<JsonObject>request(StageProtocol.MODEL_ADDRESS, new JsonObject().put("op", "load")
              .put("state", state))
          .compose(loaded -> vertx.eventBus().<JsonObject>request(StageProtocol.MODEL_ADDRESS, new JsonObject()
              .put("op", "predict").put("model", loaded.body().getString("model")).put("rows", records(c))
              .put("id", "id")))
          .map(answer -> reply = answer.body());
    }
  }
}
