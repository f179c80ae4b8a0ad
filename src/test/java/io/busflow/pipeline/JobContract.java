package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.io.BatchReaders;
import io.busflow.data.io.FixedDecimals;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.Schema;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End-to-end jobs, written once: subclasses say where the stages live ({@link #stagesHost()}) and where
 * the coordinator and its client run ({@link #coordinatorHost()}) — one node, or two cluster members.
 */
abstract class JobContract {

  protected abstract Vertx stagesHost();

  protected abstract Vertx coordinatorHost();

  protected abstract Path dir();

  /** Receives the test's own Vert.x instance before anything is deployed; a cluster ignores it. */
  protected void useVertx(Vertx vertx) {}

  private final Stages stages = new Stages();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    useVertx(vertx);
    Files.createDirectories(dir().resolve("out"));
    ChurnData.write(dir().resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir().resolve("churn-new.csv"), 700, 2, "PT");
    JsonObject options = Stages.options(dir()).put("pipelines", dir().resolve("pipelines").toString());
    stages.deployStages(stagesHost(), options)
        .compose(v -> stages.deployCoordinator(coordinatorHost(), options))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void undeploy(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  static JsonObject churnPipeline() {
    JsonArray steps = new JsonArray()
        .add(step("impute", new JsonObject().put("strategy", "median").put("columns", new JsonArray().add("age").add("income"))))
        .add(step("scale", new JsonObject().put("method", "standard").put("columns", new JsonArray().add("age").add("income"))))
        .add(step("onehot", new JsonObject().put("columns", new JsonArray().add("country"))));
    return new JsonObject().put("name", "churn-test").put("mode", "train-then-score").put("source", "churn.csv")
        .put("label", "churned").put("id", "customer_id").put("split", new JsonObject().put("test", 0.25).put("seed", 7))
        .put("preprocessing", new JsonObject().put("steps", steps).put("path", "churn-pp.json"))
        .put("model", new JsonObject().put("type", "logistic").put("path", "churn-model.json"))
        .put("score", new JsonObject().put("source", "churn-new.csv").put("evaluate", true))
        .put("output", new JsonObject().put("path", "churn-scored.csv"))
        .put("report", "churn-report.json").put("batchSize", 300).put("batchesInFlight", 3);
  }

  static JsonObject step(String kind, JsonObject body) {
    return new JsonObject().put(kind, body);
  }

  protected <T> Future<T> onCoordinatorNode(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    coordinatorHost().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  Future<JsonObject> run(JsonObject definition, List<JsonObject> progress) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    return onCoordinatorNode(() -> PipelineClient.run(coordinatorHost(), run, progress::add));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void trainThenScore_writesPredictionsEqualToAnIndependentComputation_andAReport(VertxTestContext ctx) {
    List<JsonObject> progress = new ArrayList<>();
    run(churnPipeline(), progress).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily());
      JsonObject training = report.getJsonObject("training");
      assertEquals(2000L, training.getJsonObject("source").getLong("rowsRead"));
      long trainRows = training.getLong("trainRows");
      long testRows = training.getJsonObject("evaluation").getLong("rows");
      assertEquals(2000L, trainRows + testRows);
      assertTrue(testRows > 400 && testRows < 600, "about a quarter are test rows: " + testRows);
      double accuracy = training.getJsonObject("evaluation").getJsonObject("metrics").getDouble("accuracy");
      assertTrue(accuracy > 0.6, "the model learnt something: " + accuracy);
      JsonObject scoring = report.getJsonObject("scoring");
      assertEquals(700L, scoring.getLong("rowsWritten"));
      assertEquals(70L, scoring.getJsonObject("unknownLevels").getLong("country"), "every tenth row is 'PT'");
      assertEquals(report, new JsonObject(Files.readString(dir().resolve("out/churn-report.json"))).put("state",
          report.getString("state")));
      assertMatchesIndependentComputation();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void separateTestAndScoringFiles_progressTotalIsTheirRowsFromTheFirstPass(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-test.csv"), 500, 11, null);
    JsonObject def = churnPipeline().put("split", new JsonObject().put("testSource", "churn-test.csv"));
    List<JsonObject> progress = new ArrayList<>();
    run(def, progress).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily());
      long expected = 2000 + 2000 + 500 + 700;
      List<JsonObject> passes = progress.stream().filter(p -> p.getInteger("pass", 0) >= 1).toList();
      assertFalse(passes.isEmpty(), "progress was published");
      for (JsonObject p : passes) {
        assertEquals(expected, p.getLong("rowsTotal"), "fit, fit, the test file, the scoring file: " + p.encode());
      }
      assertEquals(expected, report.getLong("rowsDone"));
      ctx.completeNow();
    })));
  }

  // ---- partitioned scoring: the same output and report as a read front to back ----

  /** A score job of {@code source} with the model {@link #churnPipeline()} saved, in {@code partitions} pieces. */
  static JsonObject scorePipeline(String source, String output, Object partitions) {
    return new JsonObject().put("name", "churn-score").put("mode", "score").put("source", source)
        .put("label", "churned").put("id", "customer_id")
        .put("preprocessing", new JsonObject().put("path", "churn-pp.json"))
        .put("model", new JsonObject().put("path", "churn-model.json"))
        .put("score", new JsonObject().put("evaluate", true))
        .put("output", new JsonObject().put("path", output)).put("read", new JsonObject().put("sampleRows", 100))
        .put("batchSize", 100).put("batchesInFlight", 2).put("partitions", partitions).put("partitionMinBytes", 0);
  }

  private Future<JsonObject> trained() {
    return run(churnPipeline(), new ArrayList<>()).map(r -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      return r;
    });
  }

  private Future<JsonObject> succeeded(JsonObject def) {
    return run(def, new ArrayList<>()).map(r -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      return r.getJsonObject("scoring");
    });
  }

  /** Replaces the age on file lines {@code lines} (1-based, the header is line 1) of {@code file} with 'abc'. */
  private void spoil(Path file, int... lines) throws IOException {
    List<String> text = new ArrayList<>(Files.readAllLines(file));
    for (int line : lines) {
      String[] f = text.get(line - 1).split(",", -1);
      f[1] = "abc";
      text.set(line - 1, String.join(",", f));
    }
    Files.writeString(file, String.join("\n", text) + "\n");
  }

  /** The files and directories in out/ whose names start with {@code prefix}, hidden ones too. */
  private List<String> outputNames(String prefix) throws IOException {
    try (var files = Files.list(dir().resolve("out"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) || n.startsWith("." + prefix))
          .sorted().toList();
    }
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void partitions1And4_giveByteIdenticalOutput_theSameCounts_andADirectoryOfPartsWithTheSameRows(VertxTestContext ctx)
      throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, "PT");
    List<JsonObject> reports = new ArrayList<>();
    trained()
        .compose(v -> succeeded(scorePipeline("churn-big.csv", "scored-1.csv", 1))).map(reports::add)
        .compose(v -> succeeded(scorePipeline("churn-big.csv", "scored-4.csv", 4))).map(reports::add)
        .compose(v -> succeeded(scorePipeline("churn-big.csv", "scored-dir.csv", "auto").put("partitions", 3)
            .put("output", new JsonObject().put("path", "scored-dir.csv").put("parts", true)))).map(reports::add)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject one = reports.get(0);
          JsonObject four = reports.get(1);
          assertEquals(1, one.getInteger("partitions"));
          assertEquals(4, four.getInteger("partitions"), "split in 4: " + four.encodePrettily());
          byte[] whole = Files.readAllBytes(dir().resolve("out/scored-1.csv"));
          assertEquals(3001, new String(whole).split("\n").length);
          assertTrue(java.util.Arrays.equals(whole, Files.readAllBytes(dir().resolve("out/scored-4.csv"))),
              "byte-identical output");
          for (String key : List.of("rowsWritten", "unknownLevels", "evaluation")) {
            assertEquals(one.getValue(key), four.getValue(key), key);
          }
          for (String key : List.of("rowsRead", "rowsPassed", "rowsRejected", "rejections")) {
            assertEquals(one.getJsonObject("source").getValue(key), four.getJsonObject("source").getValue(key), key);
          }
          assertEquals(3000L, four.getJsonObject("source").getLong("rowsRead"));
          assertEquals(300L, four.getJsonObject("unknownLevels").getLong("country"), "every tenth row is 'PT'");
          assertPartsHoldTheRowsOf(whole, 3);
          assertEquals(List.of("scored-1.csv", "scored-4.csv", "scored-dir.csv"), outputNames("scored-"), "no hidden parts left");
          ctx.completeNow();
        })));
  }

  private void assertPartsHoldTheRowsOf(byte[] whole, int parts) throws IOException {
    Path outDir = dir().resolve("out/scored-dir.csv");
    String[] lines = new String(whole).split("\n", -1);
    StringBuilder rows = new StringBuilder();
    for (int p = 0; p < parts; p++) {
      List<String> part = Files.readAllLines(outDir.resolve(String.format("part-%05d.csv", p)));
      assertEquals(lines[0], part.get(0), "each part has its header");
      assertTrue(part.size() > 1, "each part has rows");
      part.subList(1, part.size()).forEach(l -> rows.append(l).append('\n'));
    }
    try (var files = Files.list(outDir)) {
      assertEquals(parts, files.count(), "only the parts");
    }
    assertEquals(new String(whole).substring(lines[0].length() + 1), rows.toString(), "the rows, in input order");
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void badValueInALatePiece_failsNamingItsFileLine_andLeavesNoOutputAndNoParts(VertxTestContext ctx)
      throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    spoil(dir().resolve("churn-big.csv"), 2950);
    trained().compose(v -> run(scorePipeline("churn-big.csv", "bad-scored.csv", 4), new ArrayList<>()))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("failed", r.getString("state"), r.encodePrettily());
          String message = r.getJsonObject("error").getString("message");
          assertEquals("BAD_REQUEST", r.getJsonObject("error").getString("code"), message);
          assertTrue(message.contains("churn-big.csv line 2950") && message.contains("abc"), message);
          assertEquals(List.of(), outputNames("bad-scored"), "no output and no parts");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void badRowsSkipped_acrossPieces_areCountedWithTheirLines(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    spoil(dir().resolve("churn-big.csv"), 10, 1500, 2990);
    List<JsonObject> progress = new ArrayList<>();
    trained().compose(v -> run(scorePipeline("churn-big.csv", "skip-scored.csv", 4).put("badRows", "skip"), progress))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertEquals(2997L, r.getLong("rowsDone"), "progress counts the rows of every piece, as a whole read does");
          JsonObject s = r.getJsonObject("scoring");
          JsonObject source = s.getJsonObject("source");
          assertEquals(4, s.getInteger("partitions"));
          assertEquals(3000L, source.getLong("rowsRead"));
          assertEquals(3L, source.getLong("rowsRejected"));
          assertEquals(2997L, s.getLong("rowsWritten"));
          assertEquals(source.getLong("rowsRead"), s.getLong("rowsWritten") + source.getLong("rowsRejected"));
          assertEquals(List.of(10L, 1500L, 2990L), source.getJsonArray("rejections").stream()
              .map(x -> ((JsonObject) x).getLong("line")).toList());
          assertEquals(2998, Files.readAllLines(dir().resolve("out/skip-scored.csv")).size());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void cancelWhilePiecesAreRead_leavesNoPartsAndNoOutput(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    String job = "cancel-" + System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger nexts = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> hook = m -> {
      if (m.message().address().startsWith(io.busflow.pipeline.loader.LoaderProtocol.CURSOR_PREFIX)
          && "next".equals(m.body()) && nexts.incrementAndGet() == 6) {
        coordinatorHost().eventBus().request(PipelineProtocol.ADDRESS, new JsonObject().put("op", "cancel").put("job", job));
      }
      m.next();
    };
    trained().compose(v -> {
      stagesHost().eventBus().addOutboundInterceptor(hook); // the piece runners, beside the loader, read the cursors
      var run = new PipelineProtocol.Run(null, scorePipeline("churn-big.csv", "cancel-scored.csv", 4), job,
          new JsonObject());
      return onCoordinatorNode(() -> PipelineClient.run(coordinatorHost(), run, p -> { }));
    }).eventually(() -> {
      stagesHost().eventBus().removeOutboundInterceptor(hook);
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("cancelled", r.getString("state"), r.encodePrettily());
      assertTrue(nexts.get() >= 6, "cancelled while reading");
      assertEquals(List.of(), outputNames("cancel-scored"), "no output and no parts");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void smallSource_withPartitions4_isReadAsOne(VertxTestContext ctx) {
    trained().compose(v -> succeeded(scorePipeline("churn-new.csv", "small-scored.csv", 4).put("partitionMinBytes", 8 << 20)))
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertEquals(1, s.getInteger("partitions"), s.encodePrettily());
          assertEquals(700L, s.getLong("rowsWritten"));
          ctx.completeNow();
        })));
  }

  // ---- partitioned training: the same split, the same fitted states as one piece ----

  /** {@link #churnPipeline()} training on {@code source} in {@code partitions} pieces, saving under {@code tag}. */
  static JsonObject trainPipeline(String source, int partitions, String tag) {
    JsonObject def = churnPipeline().put("mode", "train").put("source", source).put("badRows", "skip")
        .put("partitions", partitions).put("partitionMinBytes", 0).put("read", new JsonObject().put("sampleRows", 100))
        .put("batchSize", 100).put("report", "train-report-" + tag + ".json");
    def.remove("score");
    def.remove("output");
    def.getJsonObject("preprocessing").put("path", "pp-" + tag + ".json");
    def.getJsonObject("model").put("path", "model-" + tag + ".json");
    return def;
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void trainingIn4Partitions_splitsTheSameRows_andFitsTheOnePartitionStates(VertxTestContext ctx) throws IOException {
    Path big = ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    spoil(big, 1200);
    List<String> lines = new ArrayList<>(Files.readAllLines(big));
    int quoted = 700;
    while (!lines.get(quoted).contains(",FR,")) {
      quoted++;
    }
    lines.set(quoted, lines.get(quoted).replace(",FR,", ",\"F\nR\","));
    lines.add(2000, "");
    Files.writeString(big, String.join("\n", lines) + "\n");
    List<JsonObject> reports = new ArrayList<>();
    run(trainPipeline("churn-big.csv", 1, "1"), new ArrayList<>()).map(reports::add)
        .compose(v -> run(trainPipeline("churn-big.csv", 4, "4"), new ArrayList<>())).map(reports::add)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject one = reports.get(0).getJsonObject("training");
          JsonObject four = reports.get(1).getJsonObject("training");
          assertEquals("succeeded", reports.get(1).getString("state"), reports.get(1).encodePrettily());
          assertEquals(1, one.getInteger("partitions"));
          assertEquals(4, four.getInteger("partitions"), four.encodePrettily());
          for (String key : List.of("trainRows", "rowsWithoutLabel")) {
            assertEquals(one.getValue(key), four.getValue(key), key);
          }
          for (String key : List.of("rowsRead", "rowsPassed", "rowsRejected", "rejections")) {
            assertEquals(one.getJsonObject("source").getValue(key), four.getJsonObject("source").getValue(key), key);
          }
          assertEquals(1L, four.getJsonObject("source").getLong("rowsRejected"));
          assertEquals(one.getJsonObject("evaluation").getLong("rows"), four.getJsonObject("evaluation").getLong("rows"));
          assertSameFit(one.getJsonObject("evaluation").getJsonObject("metrics").getMap(),
              four.getJsonObject("evaluation").getJsonObject("metrics").getMap(), "metrics");
          Map<String, Object> pp1 = state("out/pp-1.json");
          Map<String, Object> pp4 = state("out/pp-4.json");
          assertSameFit(pp1, pp4, "preprocessor");
          List<?> steps1 = (List<?>) pp1.get("steps");
          List<?> steps4 = (List<?>) pp4.get("steps");
          assertEquals(steps1.get(0), steps4.get(0), "the medians, exactly");
          assertEquals(steps1.get(2), steps4.get(2), "the one-hot levels and their order, exactly");
          assertTrue(steps4.get(2).toString().contains("F\nR"), "the quoted level: " + steps4.get(2));
          assertSameFit(state("out/model-1.json"), state("out/model-4.json"), "model");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void missingTokensOfTheReadOptions_reachEveryPiece_andFitAsEmptyFieldsDo(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    List<String> na = new ArrayList<>();
    for (String line : Files.readAllLines(dir().resolve("churn-big.csv"))) {
      String[] f = line.split(",", -1);
      for (int i = 1; i <= 2; i++) {
        f[i] = f[i].isEmpty() ? "NA" : f[i];
      }
      na.add(String.join(",", f));
    }
    Files.writeString(dir().resolve("churn-na.csv"), String.join("\n", na) + "\n");
    JsonObject withTokens = trainPipeline("churn-na.csv", 4, "na4")
        .put("read", new JsonObject().put("sampleRows", 100).put("missing", new JsonArray().add("NA")));
    List<JsonObject> reports = new ArrayList<>();
    run(trainPipeline("churn-big.csv", 1, "blank1"), new ArrayList<>()).map(reports::add)
        .compose(v -> run(withTokens, new ArrayList<>())).map(reports::add)
        .compose(v -> run(trainPipeline("churn-na.csv", 4, "na-plain"), new ArrayList<>())).map(reports::add)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals("succeeded", reports.get(1).getString("state"), reports.get(1).encodePrettily());
          JsonObject four = reports.get(1).getJsonObject("training");
          assertEquals(4, four.getInteger("partitions"), four.encodePrettily());
          assertEquals(0L, four.getJsonObject("source").getLong("rowsRejected"), four.encodePrettily());
          assertEquals(reports.get(0).getJsonObject("training").getValue("trainRows"), four.getValue("trainRows"));
          Map<String, Object> blank = state("out/pp-blank1.json");
          Map<String, Object> tokens = state("out/pp-na4.json");
          assertEquals(((List<?>) blank.get("steps")).get(0), ((List<?>) tokens.get("steps")).get(0),
              "the medians, exactly");
          assertSameFit(blank, tokens, "preprocessor");
          assertSameFit(state("out/model-blank1.json"), state("out/model-na4.json"), "model");
          // without the tokens 'NA' is a bad row of a numeric column, named with its line
          JsonObject plain = reports.get(2);
          assertEquals(plain.getJsonObject("training").getJsonObject("source").getLong("rowsRejected"),
              na.stream().filter(l -> l.contains(",NA")).count(), plain.encodePrettily());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void trainingIn4Partitions_withASeparateTestFile_evaluatesAsOnePartitionDoes(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    ChurnData.write(dir().resolve("churn-test-big.csv"), 2500, 11, null);
    JsonObject split = new JsonObject().put("testSource", "churn-test-big.csv");
    List<JsonObject> reports = new ArrayList<>();
    run(trainPipeline("churn-big.csv", 1, "t1").put("split", split), new ArrayList<>()).map(reports::add)
        .compose(v -> run(trainPipeline("churn-big.csv", 4, "t4").put("split", split), new ArrayList<>()))
        .map(reports::add)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals("succeeded", reports.get(1).getString("state"), reports.get(1).encodePrettily());
          JsonObject one = reports.get(0).getJsonObject("training");
          JsonObject four = reports.get(1).getJsonObject("training");
          assertEquals(4, four.getInteger("partitions"));
          assertEquals(3000L, four.getLong("trainRows"), "every row of the training file trains");
          assertEquals(2500L, four.getJsonObject("evaluation").getLong("rows"), "every row of the test file tests");
          assertSameFit(JsonShapes.toMap(one.getJsonObject("evaluation")), JsonShapes.toMap(four.getJsonObject("evaluation")),
              "evaluation");
          assertSameFit(state("out/model-t1.json"), state("out/model-t4.json"), "model");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void trainingIn4Partitions_withAUsersStepThatCannotMerge_readsTheSourceWhole(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    JsonObject def = trainPipeline("churn-big.csv", 4, "maxabs");
    def.getJsonObject("preprocessing").getJsonArray("steps").set(1,
        step("maxabs", new JsonObject().put("columns", new JsonArray().add("is_active"))));
    run(def, new ArrayList<>()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("succeeded", r.getString("state"), r.encodePrettily());
      JsonObject training = r.getJsonObject("training");
      assertEquals(1, training.getInteger("partitions"), "the maxabs fitter does not merge: " + training.encodePrettily());
      assertEquals(3000L, training.getJsonObject("source").getLong("rowsRead"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void theModelsFitSession_isSentFeaturesAndLabel_withoutTheIdColumn(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    List<List<String>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> hook = m -> {
      if (m.message().address().startsWith(StageProtocol.Kind.MODEL.fitPrefix()) && m.body() instanceof Batch b) {
        sent.add(b.columnNames());
      }
      m.next();
    };
    stagesHost().eventBus().addOutboundInterceptor(hook); // the runners, beside the loader, feed the fit session
    run(trainPipeline("churn-big.csv", 2, "no-id"), new ArrayList<>())
        .eventually(() -> {
          stagesHost().eventBus().removeOutboundInterceptor(hook);
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("succeeded", r.getString("state"), r.encodePrettily());
          assertFalse(sent.isEmpty(), "the runners sent the model's fit session its batches");
          for (List<String> columns : sent) {
            assertFalse(columns.contains("customer_id"), "a fit has no use for the ids: " + columns);
            assertTrue(columns.contains("churned"), "the label travels with the features: " + columns);
          }
          ctx.completeNow();
        })));
  }

  // ---- the run protocol: a runner that takes a run and never answers ----

  /**
   * An outbound hook on the coordinator's node that drops the first run of piece 1 that {@code which} picks — never
   * delivered, as if its runner took it and froze — into {@code dropped}, and, once the piece's next run is sent,
   * tells the dropped run's progress address a late failure of it, which must change nothing.
   */
  private Handler<DeliveryContext<Object>> frozenRunner(Predicate<PieceProtocol.Run> which,
      AtomicReference<PieceProtocol.Run> dropped) {
    Vertx host = coordinatorHost();
    return m -> {
      if (PieceProtocol.ADDRESS.equals(m.message().address()) && m.body() instanceof PieceProtocol.Run r
          && r.piece() == 1 && which.test(r)) {
        if (dropped.compareAndSet(null, r)) {
          return;
        }
        PieceProtocol.Run d = dropped.get();
        if (r.attempt() != d.attempt() || !r.progress().equals(d.progress())) {
          host.eventBus().send(d.progress(), new PieceProtocol.Failed(d.piece(), d.attempt(), ErrorCode.ACTOR_FAILED,
              "a late outcome of a run given up").toJson());
        }
      }
      m.next();
    };
  }

  /**
   * Runs {@code steady}, then {@code frozen} (its stage timeout 3 s) with a {@link #frozenRunner} that drops the first
   * run of piece 1 that {@code which} picks; both reports, having checked that both jobs succeeded, that a run was
   * dropped, and that the second job's report counts a run given up.
   */
  private Future<List<JsonObject>> steadyThenFrozen(JsonObject steady, JsonObject frozen,
      Predicate<PieceProtocol.Run> which) {
    AtomicReference<PieceProtocol.Run> dropped = new AtomicReference<>();
    Handler<DeliveryContext<Object>> hook = frozenRunner(which, dropped);
    List<JsonObject> reports = new ArrayList<>();
    return run(steady, new ArrayList<>()).map(reports::add).compose(v -> {
      coordinatorHost().eventBus().addOutboundInterceptor(hook);
      return run(frozen.put("stageTimeoutMs", 3000), new ArrayList<>());
    }).map(reports::add).eventually(() -> {
      coordinatorHost().eventBus().removeOutboundInterceptor(hook);
      return Future.succeededFuture();
    }).map(v -> {
      reports.forEach(r -> assertEquals("succeeded", r.getString("state"), r.encodePrettily()));
      assertTrue(dropped.get() != null, "piece 1's first run was taken and never answered");
      JsonObject report = reports.get(1);
      assertTrue(report.getJsonObject("batches").getInteger("passesRestarted") >= 1, report.encodePrettily());
      return reports;
    });
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aScoringRunNeverAnswered_isGivenUp_itsPieceRunsAgain_andALateOutcomeChangesNothing(VertxTestContext ctx)
      throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    trained().compose(v -> steadyThenFrozen(scorePipeline("churn-big.csv", "steady.csv", 2),
            scorePipeline("churn-big.csv", "given-up.csv", 2), r -> r.training() == null))
        .onComplete(ctx.succeeding(reports -> ctx.verify(() -> {
          JsonObject scoring = reports.get(1).getJsonObject("scoring");
          assertEquals(2, scoring.getInteger("partitions"));
          assertEquals(reports.get(0).getJsonObject("scoring").getLong("rowsWritten"), scoring.getLong("rowsWritten"));
          assertEquals(Files.readString(dir().resolve("out/steady.csv")),
              Files.readString(dir().resolve("out/given-up.csv")), "the output holds every piece once");
          assertEquals(List.of("given-up.csv"), outputNames("given-up"), "no part is left behind");
          ctx.completeNow();
        })));
  }

  /**
   * A run can fail after its piece is done: its Done comes as a tell while its request's answer can still fail (a
   * member leaving in between). Piece 1's run is held until piece 0 is done; at piece 1's first progress piece 0's
   * run is told to have failed. That failure must change nothing: it used to cancel piece 1, still running, and fail
   * the job as "cancelled on request".
   */
  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aFailureOfARunWhosePieceIsDone_changesNothing(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    Vertx host = coordinatorHost();
    AtomicReference<DeliveryContext<Object>> held = new AtomicReference<>();
    AtomicReference<PieceProtocol.Done> done = new AtomicReference<>();
    AtomicReference<String> toldLate = new AtomicReference<>();
    Handler<DeliveryContext<Object>> out = m -> {
      if (PieceProtocol.ADDRESS.equals(m.message().address()) && m.body() instanceof PieceProtocol.Run r
          && r.piece() == 1 && done.get() == null && held.compareAndSet(null, m)) {
        return; // sent on when piece 0 is done
      }
      m.next();
    };
    Handler<DeliveryContext<Object>> in = m -> {
      String address = m.message().address();
      if (!address.startsWith(PieceProtocol.ADDRESS + ".progress.")) {
        m.next();
        return;
      }
      Object body = m.message().body(); // decoded: a clustered message's DeliveryContext.body() is null here
      m.next();
      if (body instanceof PieceProtocol.Done d && d.piece() == 0 && done.compareAndSet(null, d)) {
        DeliveryContext<Object> run1 = held.get();
        if (run1 != null) {
          run1.next();
        }
      } else if (body instanceof JsonObject j && !j.containsKey("code") && j.getInteger("piece") == 1
          && done.get() != null && toldLate.compareAndSet(null, address)) {
        host.eventBus().send(address, new PieceProtocol.Failed(0, done.get().attempt(), ErrorCode.ACTOR_FAILED,
            "a failure of a run whose piece is done").toJson());
      }
    };
    trained().compose(v -> {
      host.eventBus().addOutboundInterceptor(out);
      host.eventBus().addInboundInterceptor(in);
      return run(scorePipeline("churn-big.csv", "late.csv", 2), new ArrayList<>());
    }).eventually(() -> {
      host.eventBus().removeOutboundInterceptor(out);
      host.eventBus().removeInboundInterceptor(in);
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertTrue(held.get() != null && toldLate.get() != null, "piece 1 ran after piece 0 was done, and piece 0's "
          + "run was told failed while piece 1 ran");
      assertEquals("succeeded", report.getString("state"), report.encodePrettily());
      assertEquals(3000L, report.getJsonObject("scoring").getLong("rowsWritten"));
      assertEquals(3001, Files.readAllLines(dir().resolve("out/late.csv")).size());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void aFitRunNeverAnswered_startsThePassAgain_andFitsTheSameStates(VertxTestContext ctx) throws IOException {
    ChurnData.write(dir().resolve("churn-big.csv"), 3000, 5, null);
    steadyThenFrozen(trainPipeline("churn-big.csv", 2, "steady"), trainPipeline("churn-big.csv", 2, "restarted"),
        r -> r.training() != null && r.training().task() == PieceProtocol.Task.FIT_ROWS)
        .onComplete(ctx.succeeding(reports -> ctx.verify(() -> {
          JsonObject training = reports.get(1).getJsonObject("training");
          assertEquals(2, training.getInteger("partitions"));
          assertEquals(reports.get(0).getJsonObject("training").getLong("trainRows"), training.getLong("trainRows"),
              "the restarted pass counts its rows once");
          assertEquals(state("out/pp-steady.json"), state("out/pp-restarted.json"), "the preprocessor, exactly");
          assertEquals(state("out/model-steady.json"), state("out/model-restarted.json"), "the model, exactly");
          ctx.completeNow();
        })));
  }

  /** The same fitted state: numbers within 1e-9 relative, everything else equal. */
  private static void assertSameFit(Object want, Object got, String where) {
    if (want instanceof Number w && got instanceof Number g) {
      assertEquals(w.doubleValue(), g.doubleValue(), 1e-9 * Math.max(1e-3, Math.abs(w.doubleValue())), where);
    } else if (want instanceof Map<?, ?> w && got instanceof Map<?, ?> g) {
      assertEquals(w.keySet(), g.keySet(), where);
      w.forEach((k, x) -> assertSameFit(x, g.get(k), where + "." + k));
    } else if (want instanceof List<?> w && got instanceof List<?> g) {
      assertEquals(w.size(), g.size(), where);
      for (int i = 0; i < w.size(); i++) {
        assertSameFit(w.get(i), g.get(i), where + "[" + i + "]");
      }
    } else {
      assertEquals(want, got, where);
    }
  }

  private void assertMatchesIndependentComputation() throws IOException {
    Preprocessor pre = Preprocessor.fromState(state("out/churn-pp.json"));
    Model model = io.busflow.stage.ModelTypes.fromState(state("out/churn-model.json"));
    Batch raw = BatchReaders.readAll(dir().resolve("churn-new.csv"),
        ReadOptions.defaults().withSchema(Schema.of("customer_id", io.busflow.data.ColumnType.STRING)));
    Batch expected = model.predict(pre.transform(raw), "customer_id").batch();
    List<String> lines = Files.readAllLines(dir().resolve("out/churn-scored.csv"));
    assertEquals("customer_id,churned,probability,prediction", lines.get(0), "the label is kept");
    assertEquals(701, lines.size());
    for (int i = 0; i < 700; i++) {
      String want = expected.strings("customer_id").get(i) + "," + raw.column("churned").text(i) + ","
          + FixedDecimals.format(expected.numeric("p_1").get(i), 6) + ","
          + expected.column(Predictions.PREDICTION).text(i);
      assertEquals(want, lines.get(i + 1), "row " + i);
    }
  }

  private java.util.Map<String, Object> state(String file) throws IOException {
    return JsonShapes.toMap(new JsonObject(Files.readString(dir().resolve(file))));
  }
}
