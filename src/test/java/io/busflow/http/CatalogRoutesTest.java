package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.serving.Catalog;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/pipelines}, {@code GET /api/v1/pipelines/{name}} and {@code GET /api/v1/models} over HTTP, before
 * and after a train job.
 */
@ExtendWith(VertxExtension.class)
class CatalogRoutesTest {

  @TempDir
  Path dir;
  private final Stages stages = new Stages();
  private int port;

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pipelinesAreListedWithModeModelAndSource_andTheModelAppearsOnceTrained(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    Files.createDirectories(dir.resolve("out"));
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 1000, 5, null);
    Files.writeString(pipelines.resolve("churn.json"), JobRoutesTest.pipeline("churn", "churn.csv", 500).encode());
    Files.writeString(pipelines.resolve("broken.json"), "{\"name\": ");
    AtomicReference<JsonObject> trained = new AtomicReference<>();
    JsonObject options = Stages.options(dir).put("pipelines", pipelines.toString());
    Catalog catalog = new Catalog(vertx, pipelines.toString(), new DataRoots("roots", List.of(dir.resolve("out"), dir)));
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> Bridges.start(vertx, new JsonObject(), List.of(), List.of(new JobRoutes(), new CatalogRoutes(catalog))))
        .map(p -> {
          port = p;
          return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
        })
        .compose(client -> client.get(CatalogRoutes.PIPELINES_PATH + "/churn").send()
            .compose(r -> {
              ctx.verify(() -> {
                JsonObject churn = r.bodyAsJsonObject();
                assertEquals(200, r.statusCode(), r.bodyAsString());
                assertEquals(false, churn.getBoolean("trained"), churn.encode());
                assertNull(churn.getJsonArray("inputs"), churn.encode());
                assertNull(churn.getJsonObject("fitted"), churn.encode());
              });
              return client.get(CatalogRoutes.PIPELINES_PATH + "/nope").send();
            })
            .compose(r -> {
              ctx.verify(() -> {
                assertEquals(404, r.statusCode(), r.bodyAsString());
                assertTrue(r.bodyAsString().contains("known: [broken, churn]"), r.bodyAsString());
              });
              return client.get(CatalogRoutes.PIPELINES_PATH + "/broken").send();
            })
            .compose(r -> {
              ctx.verify(() -> {
                assertEquals(422, r.statusCode(), r.bodyAsString());
                assertTrue(r.bodyAsString().contains("is not valid JSON: line 1, column"), r.bodyAsString());
              });
              return client.get(CatalogRoutes.PIPELINES_PATH).send();
            })
            .compose(r -> {
              ctx.verify(() -> {
                JsonArray list = r.bodyAsJsonObject().getJsonArray("pipelines");
                assertEquals(2, list.size(), list.encode());
                assertTrue(list.getJsonObject(0).getString("error").contains("not valid JSON"), list.encode());
                JsonObject churn = list.getJsonObject(1);
                assertEquals("train-then-score", churn.getString("mode"));
                assertEquals("logistic", churn.getString("model"));
                assertEquals("churn.csv", churn.getString("source"));
              });
              return client.get(CatalogRoutes.MODELS_PATH).send();
            })
            .compose(r -> {
              ctx.verify(() -> assertEquals(new JsonArray(), r.bodyAsJsonObject().getJsonArray("models")));
              return client.post(JobRoutes.PATH).putHeader("Content-Type", "application/json")
                  .sendBuffer(Buffer.buffer("{\"pipeline\":\"churn\",\"job\":\"cat-1\"}"));
            })
            .compose(r -> Sse.read(vertx.createHttpClient(), port, JobRoutes.PATH + "/cat-1/events"))
            .compose(s -> client.get(CatalogRoutes.MODELS_PATH).send())
            .compose(r -> {
              ctx.verify(() -> {
                JsonArray models = r.bodyAsJsonObject().getJsonArray("models");
                assertEquals(1, models.size(), models.encode());
                JsonObject m = models.getJsonObject(0);
                assertEquals("churn", m.getString("name"));
                assertEquals("logistic", m.getString("type"));
                assertTrue(m.getString("version").startsWith("logistic-"), m.encode());
                assertTrue(m.getJsonArray("features").contains("age"), m.encode());
                assertNull(m.getJsonObject("metrics"), "this pipeline writes no report: " + m.encode());
              });
              return client.get(CatalogRoutes.PIPELINES_PATH + "/churn").send();
            })
            .compose(r -> {
              trained.set(r.bodyAsJsonObject());
              // a saved preprocessor that cannot be built: 409, saying to train again
              return vertx.fileSystem().writeFile(dir.resolve("out/churn-pp.json").toString(),
                      Buffer.buffer("{\"type\": \"preprocessor\", \"steps\": 3}"))
                  .compose(v -> client.get(CatalogRoutes.PIPELINES_PATH + "/churn").send());
            }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(409, r.statusCode(), r.bodyAsString());
          assertTrue(r.bodyAsString().contains("the saved preprocessor 'churn-pp.json' cannot be read"),
              r.bodyAsString());
          JsonObject churn = trained.get();
          assertEquals(true, churn.getBoolean("trained"), churn.encode());
          assertTrue(churn.getJsonObject("fitted").getString("version").startsWith("logistic-"), churn.encode());
          // what a predict record holds: the id, the imputed columns (may be missing), the scaled and passed-through
          // numbers (may not), the one-hot encoded text
          Map<String, JsonObject> inputs = churn.getJsonArray("inputs").stream().map(JsonObject.class::cast)
              .collect(Collectors.toMap(i -> i.getString("name"), i -> i));
          assertEquals(List.of("customer_id", "age", "income", "country", "is_active"), churn.getJsonArray("inputs")
              .stream().map(i -> ((JsonObject) i).getString("name")).toList(), churn.encode());
          assertEquals(new JsonObject().put("name", "age").put("type", "numeric").put("missingAllowed", true),
              inputs.get("age"));
          assertEquals("string", inputs.get("country").getString("type"));
          assertEquals(false, inputs.get("is_active").getBoolean("missingAllowed"), churn.encode());
          ctx.completeNow();
        })));
  }
}
