package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Your own CSV with a label column" works as written: its pipeline file, taken from the
 * README itself, trains on a loans table with missing values, a categorical and a free-text column, and
 * then scores new rows with the saved preprocessor and model.
 */
@ExtendWith(VertxExtension.class)
class ReadmeOwnCsvTest {

  private static final String SECTION = "## Your own CSV with a label column";

  @TempDir
  Path dir;
  private Vertx vertx;
  private final Stages stages = new Stages();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    this.vertx = vertx;
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(dir.resolve("pipelines/loans.json"), readmePipeline());
    Files.writeString(dir.resolve("pipelines/loans-maxabs.json"), withMaxAbs(readmePipeline()));
    writeLoans(dir.resolve("loans.csv"), 1200, 1, true);
    writeLoans(dir.resolve("new-loans.csv"), 300, 2, false);
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    stages.deployStages(vertx, options).compose(v -> stages.deployCoordinator(vertx, options))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The first JSON block of the README's section. */
  private static String readmePipeline() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf(SECTION);
    assertTrue(section >= 0, "the README has the section '" + SECTION + "'");
    int start = readme.indexOf("```json\n", section) + "```json\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  /**
   * The README's pipeline with a user's step type ({@link io.busflow.testkit.MaxAbsStep}, registered by the
   * tests' META-INF/services) in place of the scaler, and its own file names (mx.…).
   */
  private static String withMaxAbs(String pipeline) {
    String out = pipeline.replace("{\"scale\": {\"method\": \"standard\", ", "{\"maxabs\": {")
        .replace("\"loans.preprocessor", "\"mx.preprocessor").replace("\"loans.model", "\"mx.model")
        .replace("\"loans-", "\"mx-");
    assertTrue(out.contains("\"maxabs\": {\"columns\": [\"income\", \"amount\"]}"), out);
    return out;
  }

  /** Loans whose default depends on amount and income; some incomes and purposes missing; a comment. */
  private static void writeLoans(Path file, int rows, long seed, boolean labelled) throws IOException {
    Random r = new Random(seed);
    List<String> purposes = List.of("car", "home", "education", "business");
    StringBuilder b = new StringBuilder("loan_id,income,amount,purpose,comment" + (labelled ? ",defaulted" : "") + "\n");
    for (int i = 0; i < rows; i++) {
      double income = 20_000 + r.nextInt(80_000);
      double amount = 1_000 + r.nextInt(30_000);
      String purpose = purposes.get(r.nextInt(purposes.size()));
      double z = amount / 8_000.0 - income / 30_000.0 + (purpose.equals("business") ? 0.8 : 0) + r.nextGaussian();
      b.append(String.format("L%05d", i)).append(',')
          .append(r.nextInt(10) == 0 ? "" : Double.toString(income)).append(',')
          .append(amount).append(',')
          .append(r.nextInt(15) == 0 ? "" : purpose).append(',')
          .append("\"note, ").append(i).append('"');
      if (labelled) {
        b.append(',').append(z > 0 ? 1 : 0);
      }
      b.append('\n');
    }
    Files.writeString(file, b.toString());
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private Future<JsonObject> run(JsonObject overrides) {
    return run("loans", overrides);
  }

  private Future<JsonObject> run(String pipeline, JsonObject overrides) {
    return onContext(() -> PipelineClient.run(vertx, new PipelineProtocol.Run(pipeline, null, null, overrides),
        p -> { }));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void aUsersOwnStepType_trainsSavesAndScores_likeTheBuiltInOnes(VertxTestContext ctx) {
    run("loans-maxabs", new JsonObject()).compose(trained -> {
      ctx.verify(() -> {
        assertEquals("succeeded", trained.getString("state"), trained.encodePrettily());
        JsonObject saved = new JsonObject(Files.readString(dir.resolve("out/mx.preprocessor.json")));
        assertTrue(saved.encode().contains("\"type\":\"maxabs\""), "the user's step is saved: " + saved.encode());
      });
      return run("loans-maxabs", new JsonObject().put("mode", "score").put("source", "new-loans.csv")
          .put("output", "new-loans-maxabs.csv"));
    }).onComplete(ctx.succeeding(scored -> ctx.verify(() -> {
      assertEquals("succeeded", scored.getString("state"), scored.encodePrettily());
      assertEquals(301, Files.readAllLines(dir.resolve("out/new-loans-maxabs.csv")).size(), "every new row scored");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void theReadmePipeline_trainsEvaluatesAndPredicts_thenScoresNewRowsWithTheSavedArtifacts(VertxTestContext ctx) {
    run(new JsonObject()).compose(trained -> {
      ctx.verify(() -> {
        assertEquals("succeeded", trained.getString("state"), trained.encodePrettily());
        JsonObject metrics = trained.getJsonObject("training").getJsonObject("evaluation").getJsonObject("metrics");
        assertTrue(metrics.getDouble("accuracy") > 0.7, "a learnable label is learnt: " + metrics.encode());
        List<String> lines = Files.readAllLines(dir.resolve("out/loans-predictions.csv"));
        assertEquals("loan_id,defaulted,probability,prediction", lines.get(0), "the label is kept");
        assertEquals(1201, lines.size(), "every row of loans.csv scored");
        assertTrue(lines.get(1).startsWith("L00000,"), lines.get(1));
        assertTrue(Files.exists(dir.resolve("out/loans.preprocessor.json")));
        assertTrue(Files.exists(dir.resolve("out/loans.model.json")));
        assertTrue(Files.exists(dir.resolve("out/loans-report.json")));
      });
      return run(new JsonObject().put("mode", "score").put("source", "new-loans.csv")
          .put("output", "new-loans-scored.csv"));
    }).onComplete(ctx.succeeding(scored -> ctx.verify(() -> {
      assertEquals("succeeded", scored.getString("state"), scored.encodePrettily());
      List<String> lines = Files.readAllLines(dir.resolve("out/new-loans-scored.csv"));
      assertEquals(301, lines.size(), "every new row scored");
      assertEquals(0, scored.getJsonObject("scoring").getJsonObject("unknownLevels").getInteger("purpose"));
      ctx.completeNow();
    })));
  }
}
