package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's report, built as a {@link JobReport}, keeps the JSON it had when it was a map of string keys: the keys, in
 * their order, and their values, for a real train-then-score job and a failed one; and it reads back to itself.
 */
@ExtendWith(VertxExtension.class)
class JobReportTest {

  @TempDir
  Path dir;
  private final Stages stages = new Stages();

  private Future<Void> deploy(Vertx vertx) throws IOException {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 400, 1, null);
    ChurnData.write(dir.resolve("churn-new.csv"), 100, 2, "PT");
    JsonObject options = Stages.options(dir);
    return stages.deployStages(vertx, options).compose(v -> stages.deployCoordinator(vertx, options));
  }

  private static Future<JsonObject> run(Vertx vertx, String job, JsonObject definition) {
    Promise<JsonObject> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> PipelineClient.run(vertx,
        new PipelineProtocol.Run(null, definition, job, new JsonObject()), x -> { }).onComplete(p));
    return p.future();
  }

  private static List<String> keys(JsonObject j) {
    return new ArrayList<>(j.fieldNames());
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void trainThenScore_reportHasTodaysKeysAndValues_andReadsBackToItself(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    deploy(vertx).compose(v -> run(vertx, "pinned", JobContract.churnPipeline()))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          JsonObject file = new JsonObject(Files.readString(dir.resolve("out/churn-report.json")));
          assertEquals(List.of("job", "pipeline", "mode", "state", "startedAt", "finishedAt", "elapsedMs", "rowsDone",
              "rowsTotal", "rowsPerSecond", "training", "scoring", "batches", "output", "report"), keys(file),
              file.encodePrettily());
          assertEquals("pinned", file.getString("job"));
          assertEquals("churn-test", file.getString("pipeline"));
          assertEquals("train-then-score", file.getString("mode"));
          assertEquals("succeeded", file.getString("state"));
          assertTrue(!Instant.parse(file.getString("finishedAt")).isBefore(Instant.parse(file.getString("startedAt"))));
          assertEquals(file.getLong("rowsDone"), file.getLong("rowsTotal"));
          assertTrue(file.getLong("rowsDone") >= 500, file.encodePrettily());
          assertEquals(TRAINING_KEYS, keys(file.getJsonObject("training")), file.encodePrettily());
          assertEquals(SCORING_KEYS, keys(file.getJsonObject("scoring")), file.encodePrettily());
          assertEquals(List.of("stages", "membersLeft", "passesRestarted"), keys(file.getJsonObject("batches")));
          assertEquals(100L, file.getJsonObject("scoring").getLong("rowsWritten"));
          assertEquals("churn-scored.csv", Path.of(file.getString("output")).getFileName().toString());
          assertEquals("churn-report.json", Path.of(file.getString("report")).getFileName().toString());
          JsonObject reply = report.copy();
          reply.remove("final");
          assertEquals(file, reply, "the reply is the report file");
          roundTrips(file);
          JobReport typed = JobReport.fromJson(file);
          assertTrue(typed.succeeded());
          assertEquals(PipelineDefinition.Mode.TRAIN_THEN_SCORE, typed.mode());
          assertEquals(file.getLong("rowsDone"), typed.counts().rowsDone());
          assertEquals(file.getJsonObject("batches").getJsonObject("stages").fieldNames(),
              typed.batches().stages().keySet());
          JsonObject model = file.getJsonObject("training").getJsonObject("model");
          assertEquals(List.of("id", "type", "params", "rows", "classes", "fit", "coefficients", "path"), keys(model));
          assertEquals(model.getString("id"), typed.training().model().id());
          assertEquals(List.of(0.0, 1.0), typed.training().model().classes()); // a numeric label's classes
          assertEquals(typed.training().trainRows(), typed.training().model().rows());
          assertEquals("churn-model.json", Path.of(typed.training().model().path()).getFileName().toString());
          assertEquals(List.of("id", "features", "path"),
              keys(file.getJsonObject("training").getJsonObject("preprocessor")));
          assertTrue(typed.training().preprocessor().features().size() > 5, file.encodePrettily());
          assertEquals(100L, typed.scoring().rowsWritten());
          // every tenth row of churn-new.csv has the country PT, which training never saw
          assertEquals(Map.of("country", 10L), typed.scoring().unknownLevels(), file.encodePrettily());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void failedJob_reportHasItsErrorAndNoPhasesOutput_andReadsBackToItself(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    deploy(vertx).compose(v -> run(vertx, "broken", JobContract.churnPipeline().put("source", "missing.csv")))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          JsonObject reply = report.copy();
          reply.remove("final");
          assertEquals(List.of("job", "pipeline", "mode", "state", "startedAt", "finishedAt", "elapsedMs", "rowsDone",
              "rowsTotal", "rowsPerSecond", "error", "training", "scoring", "batches", "report"), keys(reply),
              reply.encodePrettily());
          assertEquals("failed", reply.getString("state"));
          assertEquals(List.of("code", "message"), keys(reply.getJsonObject("error")));
          assertEquals("NOT_FOUND", reply.getJsonObject("error").getString("code"), reply.encodePrettily());
          assertTrue(reply.getJsonObject("error").getString("message").contains("missing.csv"), reply.encodePrettily());
          roundTrips(reply);
          ctx.completeNow();
        })));
  }

  @Test
  void batches_withAStageThatOnlyResent_keepTheirKeysAndOrder() {
    Map<String, JobReport.StageBatches> stages = new LinkedHashMap<>();
    stages.put("busflow.preprocess", new JobReport.StageBatches(Map.of("node-a", 3L), 1L));
    stages.put("busflow.model", new JobReport.StageBatches(null, 2L));
    JobReport report = new JobReport("j", "p", PipelineDefinition.Mode.SCORE, JobReport.State.CANCELLED,
        Instant.parse("2026-12-06T01:00:00.123456Z"), Instant.parse("2026-12-06T01:00:01Z"), 877,
        new JobReport.Counts(10, 20, 11), "the job was cancelled", null, null,
        new JobReport.Scoring(null, null, null, null, null, null, null, null),
        new JobReport.Batches(stages, 1, 2), null, null, null);
    JsonObject json = report.toJson();
    assertEquals("{\"job\":\"j\",\"pipeline\":\"p\",\"mode\":\"score\",\"state\":\"cancelled\","
        + "\"startedAt\":\"2026-12-06T01:00:00.123456Z\",\"finishedAt\":\"2026-12-06T01:00:01Z\",\"elapsedMs\":877,"
        + "\"rowsDone\":10,\"rowsTotal\":20,\"rowsPerSecond\":11,\"note\":\"the job was cancelled\",\"scoring\":{},"
        + "\"batches\":{\"stages\":{\"busflow.preprocess\":{\"nodes\":{\"node-a\":3},\"resent\":1},"
        + "\"busflow.model\":{\"resent\":2}},\"membersLeft\":1,\"passesRestarted\":2}}", json.encode());
    assertEquals(report, JobReport.fromJson(new JsonObject(json.encode())));
    roundTrips(json);
  }

  private static void roundTrips(JsonObject json) {
    JobReport typed = JobReport.fromJson(json);
    assertEquals(json, typed.toJson());
    assertEquals(keys(json), keys(typed.toJson()), "the same keys in the same order");
    assertEquals(json.encodePrettily(), typed.toJson().encodePrettily(), "the same file, byte for byte");
  }

  private static final List<String> TRAINING_KEYS = List.of("partitions", "source", "trainRows", "rowsWithoutLabel",
      "preprocessor", "model", "evaluation");
  private static final List<String> SCORING_KEYS = List.of("partitions", "source", "rowsWritten", "unknownLevels",
      "output", "evaluation");
}
