package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorRef;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What jobs write: reports named per mode and outcome, nothing at all when cancelled, labels in predictions. */
@ExtendWith(VertxExtension.class)
class JobFilesTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private final Stages stages = new Stages();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    this.vertx = vertx;
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 1000, 1, null);
    JsonObject options = Stages.options(dir);
    stages.deployStages(vertx, options).compose(v -> stages.deployCoordinator(vertx, options))
        .onComplete(ctx.succeedingThenComplete());
  }

  private <T> Future<T> onContext(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private Future<JsonObject> run(JsonObject definition) {
    return onContext(() -> PipelineClient.run(vertx, new PipelineProtocol.Run(null, definition, null,
        new JsonObject()), p -> { }));
  }

  private static JsonObject pipeline() {
    return JobContract.churnPipeline().put("score", new JsonObject().put("source", "churn.csv"));
  }

  private JsonObject file(String name) throws IOException {
    return new JsonObject(Files.readString(dir.resolve("out").resolve(name)));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void scoreJobs_neverReplaceTheTrainingReport_andAFailedOneWritesBesideIt(VertxTestContext ctx) {
    JsonObject score = pipeline().put("mode", "score");
    JsonObject badScore = score.copy().put("score", new JsonObject().put("source", "missing.csv"));
    run(pipeline().put("mode", "train"))
        .compose(trained -> run(score))
        .compose(scored -> run(badScore))
        .onComplete(ctx.succeeding(failed -> ctx.verify(() -> {
          assertEquals("failed", failed.getString("state"), failed.encodePrettily());
          JsonObject train = file("churn-report.json");
          assertEquals("train", train.getString("mode"));
          assertTrue(train.getJsonObject("training").containsKey("evaluation"), "the evaluation metrics survive");
          assertEquals("succeeded", file("churn-report.score.json").getString("state"));
          assertEquals("failed", file("churn-report.score.failed.json").getString("state"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aSucceedingJob_removesTheFailedReportOfAnEarlierRun(VertxTestContext ctx) {
    run(pipeline().put("source", "missing.csv"))
        .compose(failed -> {
          ctx.verify(() -> assertTrue(Files.exists(dir.resolve("out/churn-report.failed.json"))));
          return run(pipeline());
        })
        .onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
          assertEquals("succeeded", ok.getString("state"), ok.encodePrettily());
          assertFalse(Files.exists(dir.resolve("out/churn-report.failed.json")));
          assertEquals("succeeded", file("churn-report.json").getString("state"));
          ctx.completeNow();
        })));
  }

  /**
   * new.csv: 50 rows whose income is empty in every row (inferred as text; the preprocessor imputes it as a
   * number), and whose label on line 8 is not a number (a job that does not evaluate does not use labels).
   */
  private void writeNewRows() throws IOException {
    List<String> lines = Files.readAllLines(ChurnData.write(dir.resolve("new.csv"), 50, 5, null));
    StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      f[2] = "";
      f[5] = i == 7 ? "abc" : f[5];
      sb.append(String.join(",", f)).append('\n');
    }
    Files.writeString(dir.resolve("new.csv"), sb.toString());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void trainThenScore_readsTheScoredSourceAsTheJustFittedPreprocessorWants(VertxTestContext ctx) throws IOException {
    writeNewRows();
    run(pipeline().put("score", new JsonObject().put("source", "new.csv")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertEquals(50L, r.getJsonObject("scoring").getLong("rowsWritten"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aScoreJob_readsColumnsAsTheSavedPreprocessorWants_ignoresABadLabel_andKeepsTheLabel(VertxTestContext ctx)
      throws IOException {
    writeNewRows();
    JsonObject score = pipeline().put("mode", "score").put("score", new JsonObject().put("source", "new.csv"));
    run(pipeline().put("mode", "train")).compose(trained -> run(score))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertEquals(50L, r.getJsonObject("scoring").getLong("rowsWritten"));
          List<String> out = Files.readAllLines(dir.resolve("out/churn-scored.csv"));
          assertEquals("customer_id,churned,probability,prediction", out.get(0));
          assertTrue(out.get(7).startsWith("C00006,abc,"), out.get(7));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aFeatureLeftAsText_failsNamingTheValueAndLineThatMadeItText(VertxTestContext ctx) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("churn.csv"));
    StringBuilder sb = new StringBuilder(lines.get(0)).append(",code\n");
    for (int i = 1; i < lines.size(); i++) {
      sb.append(lines.get(i)).append(i == 3 ? ",x9" : "," + (i % 7 == 0 ? "7" : "k" + i)).append('\n');
    }
    Files.writeString(dir.resolve("churn.csv"), sb.toString());
    run(pipeline()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("failed", r.getString("state"), r.encodePrettily());
      String message = r.getJsonObject("error").getString("message");
      assertTrue(message.contains("feature 'code'") && message.contains("line 2: 'k1' is not a number"), message);
      ctx.completeNow();
    })));
  }

  /**
   * A table whose multinomial fit takes many slow Newton steps: {@code classes} classes, {@code features}
   * numeric columns.
   */
  private Path slowTable(int rows, int features, int classes) throws IOException {
    Random r = new Random(3);
    StringBuilder sb = new StringBuilder("customer_id");
    for (int f = 0; f < features; f++) {
      sb.append(",x").append(f);
    }
    sb.append(",churned\n");
    for (int i = 0; i < rows; i++) {
      sb.append('C').append(i);
      double z = 0;
      for (int f = 0; f < features; f++) {
        double x = r.nextGaussian();
        z += x * (f % 3);
        sb.append(',').append(String.format(Locale.ROOT, "%.4f", x));
      }
      sb.append(',').append(Math.floorMod((int) Math.round(z + r.nextGaussian()), classes)).append('\n');
    }
    return Files.writeString(dir.resolve("wide.csv"), sb.toString());
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void cancelDuringAModelFit_stopsTheFitPromptly_endsCancelled_andWritesNothing(VertxTestContext ctx)
      throws IOException {
    slowTable(12_000, 40, 12);
    Files.writeString(dir.resolve("out/churn-model.json"), "{\"earlier\": true}");
    JsonObject slow = pipeline().put("source", "wide.csv").put("batchSize", 2000);
    slow.getJsonObject("preprocessing").put("steps", new JsonArray());
    slow.getJsonObject("model").put("params", new JsonObject().put("tol", 1e-300).put("max_iter", 10_000));
    slow.getJsonObject("score").put("source", "wide.csv");
    ActorRef coordinator = ActorRef.of(vertx, PipelineProtocol.ADDRESS);
    AtomicLong cancelledAt = new AtomicLong();
    // the test hook: cancel once the coordinator asks the model fit session to finish (to fit)
    vertx.eventBus().addOutboundInterceptor(m -> {
      if (m.message().address().startsWith(StageProtocol.Kind.MODEL.fitPrefix()) && "finish".equals(m.body())
          && cancelledAt.compareAndSet(0, 1)) {
        vertx.setTimer(500, id -> {
          cancelledAt.set(System.nanoTime());
          coordinator.ask(new JsonObject().put("op", "cancel").put("job", "c2"));
        });
      }
      m.next();
    });
    onContext(() -> coordinator.<JsonObject>ask(new JsonObject().put("op", "run").put("definition", slow).put("job", "c2"))
        .compose(started -> awaitEnd(coordinator, "c2")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          long afterCancelMs = (System.nanoTime() - cancelledAt.get()) / 1_000_000;
          assertTrue(cancelledAt.get() > 1, "the fit was reached and cancelled: " + r.encodePrettily());
          assertEquals("cancelled", r.getString("state"), r.encodePrettily());
          assertFalse(r.containsKey("error"), "a cancel is no error: " + r.encodePrettily());
          assertTrue(afterCancelMs < 15_000, "ended " + afterCancelMs + " ms after the cancel");
          assertEquals("{\"earlier\": true}", Files.readString(dir.resolve("out/churn-model.json")));
          try (Stream<Path> out = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("churn-model.json"), out.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(io.busflow.data.io.OutputFileLock.LOCK_FILE)).toList(),
                "nothing else written: no preprocessor, predictions or report");
          }
          ctx.completeNow();
        })));
  }

  private Future<JsonObject> awaitEnd(ActorRef coordinator, String job) {
    return coordinator.<JsonObject>ask(new JsonObject().put("op", "status").put("job", job))
        .compose(s -> "running".equals(s.getString("state"))
            ? timer(50).compose(v -> awaitEnd(coordinator, job)) : Future.succeededFuture(s));
  }

  private Future<Void> timer(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }
}
