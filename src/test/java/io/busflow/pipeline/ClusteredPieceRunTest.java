package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.BatchSerde;
import io.busflow.data.io.BatchReaders;
import io.busflow.data.io.ReadOptions;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.FnActor;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator is off the row path of training and scoring: on a cluster whose member 0 has the loader, its
 * piece runner and the stages, and member 1 the coordinator alone, a train job's and a score job's batches never
 * reach member 1 — only the runs' small answers do (counted as the bytes member 1 reads from the wire, replies
 * included). A scoring piece whose runner's member leaves mid-run is run again on another member, and the output is
 * exactly that of a job without the loss; a fit pass whose runner's member leaves starts again, and fits exactly the
 * model of a job without the loss; a run a runner answers from a member already gone is run elsewhere, and the report
 * counts that member as left. Cross-validation's passes run on the runners too: beside the runs' outcomes (whose
 * evaluations carry the folds' labels and predictions), nothing as large as a batch reaches member 1.
 */
@ExtendWith(VertxExtension.class)
class ClusteredPieceRunTest {

  @TempDir
  Path dir;
  private List<Vertx> nodes;
  private final Stages stages = new Stages();
  private final WireReads read = new WireReads();

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir.resolve("churn-new.csv"), 700, 2, "PT");
    ChurnData.write(dir.resolve("churn-big.csv"), 3000, 5, "PT");
    JsonObject options = Stages.options(dir);
    TestCluster.start(List.of(UnaryOperator.identity(), b -> b.withMetrics(o -> read), UnaryOperator.identity()))
        .compose(n -> {
      nodes = n;
      return stages.deployStages(stages(), options).compose(v -> stages.deployCoordinator(coordinator(), options));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    TestCluster.stopAfterLosses(stages, nodes).onComplete(ctx.succeedingThenComplete());
  }

  private Vertx stages() {
    return nodes.get(0);
  }

  private Vertx coordinator() {
    return nodes.get(1);
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void trainAndScoreJobs_batchesNeverReachTheCoordinatorsMember_onlyThePiecesAnswers(VertxTestContext ctx)
      throws Exception {
    int oneBatch;
    try (var reader = BatchReaders.open(dir.resolve("churn-big.csv"), ReadOptions.defaults().withBatchSize(100))) {
      oneBatch = BatchSerde.encode(reader.next()).length;
    }
    long[] whileTraining = new long[2];
    run(trainJob("churn", 2))
        .compose(r -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertEquals(2, r.getJsonObject("training").getInteger("partitions"), r.encodePrettily());
          assertEquals(3000, r.getJsonObject("training").getLong("trainRows"), r.encodePrettily());
          whileTraining[0] = read.bytes.sumThenReset();
          whileTraining[1] = read.largest.getAndSet(0);
          return run(scoreJob("scored.csv", 2));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          long bytes = read.bytes.sum();
          long largest = read.largest.get();
          assertTrue(whileTraining[1] < oneBatch, "no message as large as a batch reached the coordinator's member "
              + "while training: the largest was " + whileTraining[1] + " bytes, a batch of 100 rows is " + oneBatch);
          assertTrue(whileTraining[0] < 30L * oneBatch / 2, "the coordinator's member read " + whileTraining[0]
              + " bytes while training on 30 batches of " + oneBatch + " bytes, read twice (fit preprocessing, "
              + "fit model)");
          assertTrue(largest < oneBatch, "no message as large as a batch reached the coordinator's member while "
              + "scoring: the largest was " + largest + " bytes, a batch of 100 rows is " + oneBatch);
          assertTrue(bytes < 30L * oneBatch / 2, "the coordinator's member read " + bytes + " bytes while scoring "
              + "30 batches of " + oneBatch + " bytes");
          assertEquals(2, r.getJsonObject("scoring").getInteger("partitions"));
          assertEquals(3000, r.getJsonObject("scoring").getLong("rowsWritten"));
          assertEquals(3001, Files.readAllLines(dir.resolve("out/scored.csv")).size());
          JsonObject served = r.getJsonObject("batches").getJsonObject("stages")
              .getJsonObject(StageProtocol.PREPROCESS_ADDRESS).getJsonObject("nodes");
          long batches = served.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
          assertTrue(batches == 30 || batches == 31, "the runners' counts reach the report: 3000 rows in two pieces "
              + "are 30 or 31 batches of at most 100, got " + served);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void crossValidation_runsOnTheRunners_noBatchReachesTheCoordinatorsMember(VertxTestContext ctx) throws Exception {
    int oneBatch;
    try (var reader = BatchReaders.open(dir.resolve("churn-big.csv"), ReadOptions.defaults().withBatchSize(100))) {
      oneBatch = BatchSerde.encode(reader.next()).length;
    }
    JsonObject def = trainJob("cv", 2).put("split", new JsonObject().put("test", 0))
        .put("crossValidation", new JsonObject().put("folds", 3).put("stratified", true));
    run(def).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      JsonObject cv = r.getJsonObject("training").getJsonObject("crossValidation");
      JsonArray folds = cv.getJsonArray("perFold");
      assertEquals(3, folds.size(), cv.encodePrettily());
      long train = 0;
      long test = 0;
      for (int f = 0; f < 3; f++) {
        train += folds.getJsonObject(f).getLong("trainRows");
        test += folds.getJsonObject(f).getLong("testRows");
        assertEquals(1000, folds.getJsonObject(f).getLong("testRows"), 1, "a third of the rows in fold " + f);
      }
      assertEquals(3000, test, "every row is tested in one fold: " + cv.encodePrettily());
      assertEquals(6000, train, "every row trains in the two other folds: " + cv.encodePrettily());
      assertTrue(cv.getJsonObject("mean").containsKey("accuracy"), cv.encodePrettily());
      assertTrue(read.largestBesideOutcomes.get() < oneBatch, "no message as large as a batch reached the "
          + "coordinator's member beside the runs' outcomes (which carry the folds' evaluated labels and "
          + "predictions): the largest was " + read.largestBesideOutcomes.get() + " bytes, a batch of 100 rows is "
          + oneBatch);
      ctx.completeNow();
    })));
  }

  /** What the coordinator's member reads from the wire (every message from another member, replies too). */
  private static final class WireReads implements VertxMetrics {
    final LongAdder bytes = new LongAdder();
    final AtomicLong largest = new AtomicLong();
    /** The largest message read that is not a run's outcome or progress (told to a pass's progress address). */
    final AtomicLong largestBesideOutcomes = new AtomicLong();

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return new EventBusMetrics<Void>() {
        @Override
        public void messageRead(String address, int numberOfBytes) {
          bytes.add(numberOfBytes);
          largest.accumulateAndGet(numberOfBytes, Math::max);
          if (!address.startsWith(PieceProtocol.ADDRESS + ".progress.")) {
            largestBesideOutcomes.accumulateAndGet(numberOfBytes, Math::max);
          }
        }
      };
    }
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aPieceWhoseRunnersMemberLeaves_runsAgainElsewhere_andTheOutputIsExact(VertxTestContext ctx) {
    Vertx lost = nodes.get(2);
    Promise<Void> took = Promise.promise();
    scoredWholeThenWith(() -> leavesOnceItTakesARun(lost, took), "survived.csv")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRanAgainAfterALoss(r, took, "survived.csv");
          assertEquals(3000, r.getJsonObject("scoring").getLong("rowsWritten"));
          try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parts"))
                .toList(), "no hidden parts left");
          }
          ctx.completeNow();
        })));
  }

  /**
   * The score job of {@code report} succeeded after a run on the lost member ({@code took}) was given up: one member
   * counted as left, a run started again, and {@code output} holds exactly what whole.csv, written without the loss,
   * holds.
   */
  private void assertRanAgainAfterALoss(JsonObject report, Promise<Void> took, String output) throws Exception {
    assertRanAgainAfterALoss(report, took, output, 1);
  }

  /** {@link #assertRanAgainAfterALoss(JsonObject, Promise, String)} with {@code membersLeft} members counted as left. */
  private void assertRanAgainAfterALoss(JsonObject report, Promise<Void> took, String output, int membersLeft)
      throws Exception {
    assertEquals("succeeded", report.getString("state"), report.encodePrettily());
    assertTrue(took.future().succeeded(), "a run went to the faulty runner");
    assertEquals(membersLeft, report.getJsonObject("batches").getInteger("membersLeft"), report.encodePrettily());
    assertTrue(report.getJsonObject("batches").getInteger("passesRestarted") >= 1, report.encodePrettily());
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("out/whole.csv")),
        Files.readAllBytes(dir.resolve("out").resolve(output))), "exactly the output of a job without the loss");
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aFitPassWhoseRunnersMemberLeaves_startsAgain_andFitsTheSameModel(VertxTestContext ctx) {
    Vertx lost = nodes.get(2);
    Promise<Void> took = Promise.promise();
    JsonObject[] whole = new JsonObject[1];
    run(trainJob("whole", 4))
        .compose(r -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          whole[0] = r.getJsonObject("training");
          return leavesOnceItTakesARun(lost, took);
        })
        .compose(d -> run(trainJob("survived", 4)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertTrue(took.future().succeeded(), "the lost member took a piece of a fit pass");
          assertEquals(1, r.getJsonObject("batches").getInteger("membersLeft"), r.encodePrettily());
          assertTrue(r.getJsonObject("batches").getInteger("passesRestarted") >= 1, r.encodePrettily());
          JsonObject survived = r.getJsonObject("training");
          assertEquals(whole[0].getLong("trainRows"), survived.getLong("trainRows"));
          assertEquals(whole[0].getJsonObject("model").getJsonArray("coefficients"),
              survived.getJsonObject("model").getJsonArray("coefficients"), "exactly the model of a job without the loss");
          assertEquals(whole[0].getJsonObject("evaluation").getJsonObject("metrics"),
              survived.getJsonObject("evaluation").getJsonObject("metrics"));
          ctx.completeNow();
        })));
  }

  /**
   * A runner can answer from a member that has already left (its reply comes straight back over the wire, before the
   * coordinator's watch looks again): the run is given up at once and run elsewhere, and the job's report counts that
   * member as left even when the job ends before the watch's next look (which once made a member-loss test above
   * report 0 members left).
   */
  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aRunStartedOnAMemberThatAlreadyLeft_runsElsewhere_andTheMemberCountsAsLeft(VertxTestContext ctx) {
    Promise<Void> took = Promise.promise();
    scoredWholeThenWith(() -> answersFromADepartedMember(nodes.get(2), took), "departed.csv")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRanAgainAfterALoss(r, took, "departed.csv");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aRunLostOnItsWay_isGivenUpWithinTheRunAnswerBound_notTheStageTimeout(VertxTestContext ctx) {
    Promise<Void> took = Promise.promise();
    // stageTimeoutMs is 300000 by default: a job waiting for it would outlast this test
    scoredWholeThenWith(() -> swallowsTheFirstRun(nodes.get(2), took), "swallowed.csv")
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRanAgainAfterALoss(r, took, "swallowed.csv", 0);
          ctx.completeNow();
        })));
  }

  /**
   * Registers on {@code on} a consumer at the runners' address that takes the first run it is sent and never answers
   * it, as a run that reaches a runner just as it unregisters is dropped, completing {@code took}; it refuses every
   * later run as a busy runner would, so that they go to the other runner.
   */
  private static Future<Void> swallowsTheFirstRun(Vertx on, Promise<Void> took) {
    io.busflow.actor.Actors.registerCodecs(on);
    io.vertx.core.eventbus.MessageConsumer<Object> c = on.eventBus().consumer(PieceProtocol.ADDRESS, m -> {
      if (!took.tryComplete()) {
        m.fail(io.busflow.actor.ErrorCode.MAILBOX_FULL.wire(), "the runner at '" + PieceProtocol.ADDRESS + "' is busy");
      }
    });
    return c.completion();
  }

  /**
   * Deploys on {@code on} a runner that answers the first run it is sent as started on a member no longer in the
   * cluster, completing {@code took}, and never runs it; it refuses every later run as a busy runner would, so that
   * they go to the other runner.
   */
  private Future<?> answersFromADepartedMember(Vertx on, Promise<Void> took) {
    return stages.deploy(on, "runner", PieceProtocol.ADDRESS, 1, io.busflow.config.Threading.EVENT_LOOP,
        new JsonObject(), () -> new FnActor(PieceProtocol.ADDRESS, (actor, m) -> {
          PieceProtocol.Run run = (PieceProtocol.Run) m;
          if (!took.tryComplete()) {
            return Future.failedFuture(new io.busflow.actor.ActorException(io.busflow.actor.ErrorCode.MAILBOX_FULL,
                "the runner at '" + PieceProtocol.ADDRESS + "' is busy"));
          }
          return Future.succeededFuture(new PieceProtocol.Started(run.piece(), run.attempt(), "a-member-that-left")
              .toJson());
        }));
  }

  /**
   * Deploys on {@code lost} a runner that answers the first run it is sent as started and never runs it, completing
   * {@code took}; then {@code lost} leaves the cluster abruptly ({@link TestCluster#terminate}).
   */
  private Future<?> leavesOnceItTakesARun(Vertx lost, Promise<Void> took) {
    took.future().onSuccess(v -> TestCluster.terminate(lost));
    return stages.deploy(lost, "runner", PieceProtocol.ADDRESS, 1, io.busflow.config.Threading.EVENT_LOOP,
        new JsonObject(), () -> new FnActor(PieceProtocol.ADDRESS, (self, m) -> startsAndHangs(lost, m, took)));
  }

  /** A runner that says it started the piece, then never tells its outcome: its member is about to leave. */
  private static Future<?> startsAndHangs(Vertx on, Object message, Promise<Void> took) {
    PieceProtocol.Run run = (PieceProtocol.Run) message;
    String node = ((VertxInternal) on).clusterManager().getNodeId();
    took.tryComplete();
    return Future.succeededFuture(new PieceProtocol.Started(run.piece(), run.attempt(), node).toJson());
  }

  /**
   * Trains the churn pipeline on churn-big.csv in {@code partitions} pieces of 100-row batches, saving to
   * {@code name}-pp.json and {@code name}-model.json; with {@code name} "churn", the files the score job reads.
   */
  private static JsonObject trainJob(String name, int partitions) {
    JsonObject def = JobContract.churnPipeline().put("mode", "train").put("source", "churn-big.csv")
        .put("batchSize", 100).put("partitions", partitions).put("partitionMinBytes", 0);
    def.getJsonObject("preprocessing").put("path", name + "-pp.json");
    def.getJsonObject("model").put("path", name + "-model.json");
    if (name.equals("churn")) {
      def.put("split", new JsonObject().put("test", 0));
    }
    return def;
  }

  /**
   * Trains the churn pipeline and scores churn-big.csv in 4 pieces into whole.csv; then, once {@code fault} is in
   * place, scores it again into {@code output}: the report of that second job.
   */
  private Future<JsonObject> scoredWholeThenWith(Supplier<Future<?>> fault, String output) {
    return run(JobContract.churnPipeline().put("mode", "train"))
        .compose(r -> run(scoreJob("whole.csv", 4)))
        .compose(r -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          return fault.get();
        })
        .compose(d -> run(scoreJob(output, 4)));
  }

  private JsonObject scoreJob(String output, int partitions) {
    return JobContract.scorePipeline("churn-big.csv", output, partitions).put("score", new JsonObject().put("evaluate", false));
  }

  private Future<JsonObject> run(JsonObject definition) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    return on(coordinator(), () -> PipelineClient.run(coordinator(), run, p -> { }));
  }

  private static <T> Future<T> on(Vertx vertx, Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }
}
