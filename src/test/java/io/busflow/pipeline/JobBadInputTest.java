package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the job level: each case ends in a failure reply or a failed job whose report names the
 * place, the value and the remedy — never a hang — and leaves no file at the output path.
 */
@ExtendWith(VertxExtension.class)
class JobBadInputTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private final Stages stages = new Stages();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    this.vertx = vertx;
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    options.getJsonArray("outputRoots").add("/dev");
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

  /** A score pipeline that applies the preprocessor and model the train job of {@link #pipeline} saved. */
  private static JsonObject scoring(String source, String output) {
    return new JsonObject().put("mode", "score").put("source", source)
        .put("preprocessing", new JsonObject().put("path", "churn-pp.json"))
        .put("model", new JsonObject().put("path", "churn-model.json"))
        .put("output", new JsonObject().put("path", output));
  }

  /** Asserts a failed job with {@code code} whose message has every one of {@code parts}, and no output file. */
  private void assertFailed(JsonObject report, ErrorCode code, String... parts) throws IOException {
    assertEquals("failed", report.getString("state"), report.encodePrettily());
    JsonObject error = report.getJsonObject("error");
    assertEquals(code.name(), error.getString("code"), error.encode());
    for (String part : parts) {
      assertTrue(error.getString("message").contains(part), "'" + part + "' in: " + error.getString("message"));
    }
    assertFalse(Files.exists(dir.resolve("out/churn-scored.csv")), "no output file");
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    Path written = Path.of(report.getString("report"));
    assertTrue(written.getFileName().toString().endsWith(".failed.json"), "a failed job's report: " + written);
    assertEquals("failed", new JsonObject(Files.readString(written)).getString("state"), "the report on disk says why");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void labelColumnMissing_failsNamingTheLabelAndTheColumns(VertxTestContext ctx) {
    run(pipeline().put("label", "churn")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "label column 'churn'", "[customer_id, age, income, country, is_active, churned]");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void oneClassOnlyInTheTrainingLabels_failsSayingSo(VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("churn.csv"), Files.readString(dir.resolve("churn.csv"))
        .replaceAll(",0\n", ",1\n"));
    run(pipeline()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "one class only", "'1'");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void columnAllMissing_failsNamingTheColumn(VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("churn.csv"), Files.readString(dir.resolve("churn.csv"))
        .replaceAll("(?m)^(C\\d+),\\d*,", "$1,,"));
    run(pipeline()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "age");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void constantColumn_isScaledByOne_andTheJobSucceeds(VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("churn.csv"), Files.readString(dir.resolve("churn.csv"))
        .replaceAll("(?m)^(C\\d+),\\d*,", "$1,40,"));
    run(pipeline()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      List<String> lines = Files.readAllLines(dir.resolve("out/churn-scored.csv"));
      assertEquals(2001, lines.size());
      assertFalse(lines.stream().anyMatch(l -> l.contains("nan")), "every probability is a number");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void textInANumericColumn_failsNamingLineColumnAndValue_orIsCountedWhenSkipping(VertxTestContext ctx)
      throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("churn.csv")));
    lines.set(1500, lines.get(1500).replaceFirst("^(C\\d+),\\d*,", "$1,abc,"));
    Files.write(dir.resolve("churn.csv"), lines);
    run(pipeline())
        .compose(failed -> {
          ctx.verify(() -> assertFailed(failed, ErrorCode.BAD_REQUEST, "line 1501", "age", "abc"));
          return run(pipeline().put("badRows", "skip"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          JsonObject source = r.getJsonObject("training").getJsonObject("source");
          assertEquals(2000L, source.getLong("rowsRead"));
          assertEquals(1L, source.getLong("rowsRejected"));
          assertEquals(1501L, source.getJsonArray("rejections").getJsonObject(0).getLong("line"));
          assertEquals(1999L, r.getJsonObject("scoring").getLong("rowsWritten"));
          ctx.completeNow();
        })));
  }

  /** The churn pipeline with age scaled but not imputed: a missing age reaches the model as NaN. */
  private static JsonObject withoutAgeImputation(JsonObject p) {
    JsonArray steps = p.getJsonObject("preprocessing").getJsonArray("steps");
    steps.getJsonObject(0).getJsonObject("impute").put("columns", new JsonArray().add("income"));
    return p;
  }

  private static String everyAgeKnown(Path file) throws IOException {
    return Files.readString(file).replaceAll("(?m)^(C\\d+),,", "$1,40,");
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void missingFeatureThatIsNotImputed_failsNamingTheFileLineAndFeature(VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("churn.csv"), everyAgeKnown(dir.resolve("churn.csv")));
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("churn.csv")));
    ChurnData.write(dir.resolve("churn-new.csv"), 700, 3, null);
    List<String> scoring = new ArrayList<>(everyAgeKnown(dir.resolve("churn-new.csv")).lines().toList());
    scoring.set(600, scoring.get(600).replaceFirst("^(C\\d+),\\d*,", "$1,,"));
    Files.write(dir.resolve("churn-new.csv"), scoring);
    lines.set(1200, lines.get(1200).replaceFirst("^(C\\d+),\\d*,", "$1,,"));
    Files.write(dir.resolve("churn-bad.csv"), lines);
    JsonObject training = withoutAgeImputation(pipeline()).put("source", "churn-bad.csv");
    JsonObject score = withoutAgeImputation(pipeline()).put("score", new JsonObject().put("source", "churn-new.csv"));
    run(training)
        .compose(failed -> {
          ctx.verify(() -> assertFailed(failed, ErrorCode.BAD_REQUEST, "churn-bad.csv line 1201", "'age'", "NaN"));
          return run(score);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertFailed(r, ErrorCode.BAD_REQUEST, "churn-new.csv line 601", "'age'", "impute");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void outputLabelFalse_writesTheIdAndPredictionsOnly(VertxTestContext ctx) {
    JsonObject def = pipeline();
    def.getJsonObject("output").put("label", false);
    run(def).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      List<String> lines = Files.readAllLines(dir.resolve("out/churn-scored.csv"));
      assertEquals("customer_id,probability,prediction", lines.get(0));
      assertEquals(2001, lines.size());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void headerOnlySource_failsSayingThereAreNoTrainingRows_andSendsNothingToTheEndedSession(VertxTestContext ctx)
      throws IOException {
    Files.writeString(dir.resolve("churn.csv"), "customer_id,age,income,country,is_active,churned\n");
    List<String> toSessions = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(dc -> {
      if (dc.message().address().startsWith(StageProtocol.PREPROCESS_ADDRESS + ".fit.")) {
        toSessions.add(String.valueOf(dc.message().body()));
      }
      dc.next();
    });
    run(pipeline()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "no training rows were sent", "check the source");
      // the session answered finish with the failure and ended; an abort racing its end would reach a consumer
      // being unregistered (Vert.x logs a discarded message)
      assertEquals(List.of("finish"), toSessions);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pathTraversalInTheSource_failsNamingTheDataRoots(VertxTestContext ctx) {
    run(pipeline().put("source", "../churn.csv")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "'../churn.csv' is outside the data roots", dir.toString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void namedPipeAsTheSource_failsAtOnceNamingIt(VertxTestContext ctx) throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("feed.csv").toString()).start().waitFor());
    run(pipeline().put("source", "feed.csv")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.BAD_REQUEST, "'feed.csv' is not a regular file");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void outputHeldByAnotherProcess_isConflictAndWritesNothing(VertxTestContext ctx) throws Exception {
    Process other = OutputLockHolder.start(dir.resolve("out/churn-scored.csv"));
    run(pipeline()).onComplete(ar -> ctx.verify(() -> {
      ActorException e = assertInstanceOf(ActorException.class, ar.cause(), String.valueOf(ar.result()));
      assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("is being written by another process"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("out/churn-scored.csv")), "nothing written");
      other.getOutputStream().close();
      vertx.executeBlocking(other::waitFor, false)
          .compose(exit -> run(pipeline()))
          .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals("succeeded", r.getString("state"), r.encodePrettily());
            ctx.completeNow();
          })));
    }));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pathTraversalInTheOutput_isRefusedBeforeStarting(VertxTestContext ctx) {
    run(pipeline().put("output", new JsonObject().put("path", "../../evil.csv")))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, t);
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertTrue(e.getMessage().contains("'../../evil.csv' is outside the output roots"), e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void outputDirectoryMissing_isRefusedNamingIt(VertxTestContext ctx) {
    run(pipeline().put("output", new JsonObject().put("path", "nowhere/scored.csv")))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, t);
          assertEquals(ErrorCode.NOT_FOUND, e.code());
          assertTrue(e.getMessage().contains("'nowhere/scored.csv' does not exist") && e.getMessage().contains("create it"),
              e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void readOnlyOutputDirectory_failsTheJobSayingItIsNotWritable(VertxTestContext ctx) throws IOException {
    Path ro = Files.createDirectories(dir.resolve("out/ro"));
    assertTrue(ro.toFile().setWritable(false));
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "running as root: permissions do not apply");
    run(pipeline().put("output", new JsonObject().put("path", "ro/scored.csv")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          ro.toFile().setWritable(true);
          assertEquals("failed", r.getString("state"));
          assertTrue(r.getJsonObject("error").getString("message").contains("not writable"), r.encodePrettily());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void diskFull_failsTheJobNamingTheCause(VertxTestContext ctx) {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
    run(pipeline().put("output", new JsonObject().put("path", "/dev/full")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertFailed(r, ErrorCode.ACTOR_FAILED, "no space left on device");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void twoJobsOnOneOutputPath_theSecondGetsConflictNamingTheFirst(VertxTestContext ctx) {
    JsonObject slow = pipeline().put("batchSize", 20).put("batchesInFlight", 1);
    ActorRef coordinator = ActorRef.of(vertx, PipelineProtocol.ADDRESS);
    onContext(() -> coordinator.<JsonObject>ask(new JsonObject().put("op", "run").put("definition", slow).put("job", "first"))
        .compose(started -> coordinator.ask(new JsonObject().put("op", "run").put("definition", pipeline())
            .put("job", "second")))
        .map(second -> (Throwable) null)
        .recover(Future::succeededFuture)
        .compose(refusal -> awaitEnd(coordinator, "first").map(first -> List.of(refusal, first))))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, pair.get(0));
          assertEquals(ErrorCode.CONFLICT, e.code());
          assertTrue(e.getMessage().contains("job 'first'"), e.getMessage());
          assertEquals("succeeded", ((JsonObject) pair.get(1)).getString("state"));
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

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void cancel_endsTheJobAsCancelled_withoutAnOutputFile(VertxTestContext ctx) {
    JsonObject slow = pipeline().put("batchSize", 20).put("batchesInFlight", 1);
    ActorRef coordinator = ActorRef.of(vertx, PipelineProtocol.ADDRESS);
    onContext(() -> coordinator.<JsonObject>ask(new JsonObject().put("op", "run").put("definition", slow).put("job", "c1"))
        .compose(started -> coordinator.<JsonObject>ask(new JsonObject().put("op", "cancel").put("job", "c1")))
        .compose(cancelling -> awaitEnd(coordinator, "c1")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("cancelled", r.getString("state"), r.encodePrettily());
          assertFalse(Files.exists(dir.resolve("out/churn-scored.csv")));
          ctx.completeNow();
        })));
  }

  /**
   * A saved state path that names a file larger than a node's store of states holds (a data file named by mistake)
   * fails the job with TOO_LARGE before the file is read (a sparse file: 65 MB that take no disk).
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aSavedStatePathNamingAHugeFile_failsTooLargeBeforeReadingIt(VertxTestContext ctx) throws IOException {
    try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dir.resolve("huge.json").toFile(), "rw")) {
      huge.setLength(65L * 1024 * 1024);
    }
    JsonObject score = scoring("churn.csv", "churn-scored.csv").put("report", "churn-report.json");
    score.getJsonObject("preprocessing").put("path", "huge.json");
    run(score).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertFailed(r, ErrorCode.TOO_LARGE, "'huge.json' is 65.0 MB, more than the 64.0 MB a node's store of states "
          + "holds (actors.<name>.options.storeBytes); pipeline '", "': point preprocessing.path at the file its "
          + "train job saved, or raise actors.<name>.options.storeBytes");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelAndPreprocessorThatDoNotMatch_failTheScoreJobListingTheDifference(VertxTestContext ctx) {
    JsonObject small = pipeline().put("mode", "train");
    small.getJsonObject("preprocessing").put("path", "small-pp.json").put("steps", new JsonArray()
        .add(JobContract.step("impute", new JsonObject().put("columns", new JsonArray().add("age"))))
        .add(JobContract.step("select", new JsonObject()))).remove("steps");
    small.getJsonObject("preprocessing").put("steps", new JsonArray()
        .add(JobContract.step("impute", new JsonObject().put("columns", new JsonArray().add("age"))))
        .add(new JsonObject().put("select", new JsonArray().add("customer_id").add("age").add("churned"))));
    small.getJsonObject("model").put("path", "small-model.json");
    JsonObject score = new JsonObject().put("mode", "score").put("source", "churn.csv")
        .put("preprocessing", new JsonObject().put("path", "churn-pp.json"))
        .put("model", new JsonObject().put("path", "small-model.json"))
        .put("output", new JsonObject().put("path", "churn-scored.csv")).put("report", "churn-report.json");
    run(pipeline().put("mode", "train")).compose(a -> run(small)).compose(b -> run(score))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertFailed(r, ErrorCode.BAD_REQUEST, "does not fit the preprocessor", "[income, country=DE",
              "use the preprocessor the model was trained after");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void scoreMode_onASourceWithoutAColumnThePipelineReads_failsAtOnceNamingSourceAndColumns(VertxTestContext ctx)
      throws IOException {
    ChurnData.write(dir.resolve("new.csv"), 300, 9, null);
    Files.writeString(dir.resolve("new.csv"), Files.readString(dir.resolve("new.csv"))
        .replaceFirst("customer_id,age,income,", "customer_id,years,earnings,"));
    JsonObject score = scoring("new.csv", "churn-scored.csv").put("report", "new-report.json");
    run(pipeline().put("mode", "train")).compose(trained -> run(score))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertFailed(r, ErrorCode.BAD_REQUEST, "source 'new.csv' has no column 'age' (nor [income])",
              "its columns are [customer_id, years, earnings,", "the columns the pipeline was trained on");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void scoreMode_appliesSavedArtifactsToANewFile_countingUnseenLevels(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir.resolve("new.csv"), 300, 9, "PT");
    JsonObject score = scoring("new.csv", "new-scored.jsonl");
    run(pipeline().put("mode", "train")).compose(trained -> run(score))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertEquals(30L, r.getJsonObject("scoring").getJsonObject("unknownLevels").getLong("country"));
          List<String> lines = Files.readAllLines(dir.resolve("out/new-scored.jsonl"));
          assertEquals(300, lines.size());
          JsonObject first = new JsonObject(lines.get(0));
          assertEquals("C00000", first.getString("customer_id"));
          assertTrue(first.containsKey("probability") && first.containsKey("prediction"), first.encode());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void unknownPipelineName_isNotFoundListingTheKnownOnes(VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("pipelines/churn-a.json"), pipeline().encode());
    onContext(() -> ActorRef.of(vertx, PipelineProtocol.ADDRESS).ask("churn-b"))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.NOT_FOUND, e.code());
          assertTrue(e.getMessage().contains("no pipeline 'churn-b'") && e.getMessage().contains("[churn-a]"),
              e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void invalidDefinition_isBadRequestNamingTheKeyPath(VertxTestContext ctx) {
    run(pipeline().put("split", new JsonObject().put("test", 1.5)))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertTrue(e.getMessage().contains("churn-test.split.test: is 1.5 but must be between"), e.getMessage());
          ctx.completeNow();
        })));
  }
}
