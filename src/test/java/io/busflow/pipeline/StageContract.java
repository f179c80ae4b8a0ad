package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the loader, preprocessor and model stages, written once: subclasses say where the stages
 * live ({@link #host()}) and where the asking code runs ({@link #client()}) — one Vert.x instance, or two
 * members of a cluster, where every batch crosses the wire.
 */
abstract class StageContract {

  protected abstract Vertx host();

  protected abstract Vertx client();

  protected abstract Path dir();

  private final Stages stages = new Stages();

  /** Receives the test's own Vert.x instance before anything is deployed; a cluster ignores it. */
  protected void useVertx(Vertx vertx) {}

  @BeforeEach
  void deployStages(Vertx vertx, VertxTestContext ctx) throws IOException {
    useVertx(vertx);
    Files.createDirectories(dir().resolve("out"));
    StringBuilder csv = new StringBuilder("id,x,city,y\n");
    for (int i = 0; i < 250; i++) {
      csv.append(String.format("%03d,%s,%s,%d%n", i, i % 7 == 0 ? "" : Double.toString(i / 10.0),
          i % 3 == 0 ? "Paris" : "Lyon", (i % 2 == 0) == (i % 5 < 3) ? 1 : 0));
    }
    Files.writeString(dir().resolve("small.csv"), csv.toString());
    stages.deployStages(host(), Stages.options(dir())).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void undeployStages(VertxTestContext ctx) {
    stages.undeployAll().onComplete(ctx.succeedingThenComplete());
  }

  protected <T> Future<T> onClient(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    client().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private <T> Future<T> ask(String address, Object message) {
    return onClient(() -> ActorRef.of(client(), address).ask(message));
  }

  private static JsonObject open(String source, int batchSize) {
    return new JsonObject().put("op", "open").put("source", source).put("batchSize", batchSize)
        .put("text", new JsonArray().add("id"));
  }

  /** Reads every batch of a cursor; completes with the batches and the final summary last. */
  private Future<List<Object>> drain(String cursor) {
    List<Object> got = new ArrayList<>();
    return onClient(() -> next(cursor, got));
  }

  private Future<List<Object>> next(String cursor, List<Object> got) {
    return ActorRef.of(client(), cursor).ask("next").compose(reply -> {
      got.add(reply);
      return reply instanceof Batch ? next(cursor, got) : Future.succeededFuture(got);
    });
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loaderCursor_streamsBatchesInOrder_andEndsWithASummaryThatAccountsForEveryRow(VertxTestContext ctx) {
    this.<JsonObject>ask(LoaderProtocol.ADDRESS, open("small.csv", 100))
        .map(LoaderProtocol.Opened::fromJson)
        .compose(opened -> drain(opened.cursor()).map(all -> List.of(opened, all)))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          var opened = (LoaderProtocol.Opened) pair.get(0);
          @SuppressWarnings("unchecked") List<Object> all = (List<Object>) pair.get(1);
          assertEquals(List.of("id", "x", "city", "y"), opened.names());
          assertEquals(250, opened.rowsEstimate());
          assertEquals(4, all.size(), "three batches and the summary");
          for (int i = 0; i < 3; i++) {
            Batch b = (Batch) all.get(i);
            assertEquals(i, b.index());
            assertEquals(i * 100L, b.firstRow());
          }
          assertEquals("000", ((Batch) all.get(0)).strings("id").get(0), "ids are kept as text");
          var summary = LoaderProtocol.Summary.fromJson((JsonObject) all.get(3));
          assertTrue(summary.done());
          assertEquals(250, summary.rowsRead());
          assertEquals(250, summary.rowsPassed());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loaderCursor_isGoneAfterItsLastBatch(VertxTestContext ctx) {
    this.<JsonObject>ask(LoaderProtocol.ADDRESS, open("small.csv", 1000))
        .compose(o -> drain(o.getString("cursor")).map(o.getString("cursor")))
        .compose(cursor -> onClient(() -> untilGone(cursor, 20)))
        .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
          assertEquals(ErrorCode.NO_ACTOR, code);
          ctx.completeNow();
        })));
  }

  /**
   * Asks {@code address} until nobody listens there, at most {@code tries} times: a message that reaches
   * an actor while it unregisters is dropped by Vert.x, so an ask racing the close may time out instead.
   */
  private Future<ErrorCode> untilGone(String address, int tries) {
    return ActorRef.of(client(), address).ask("next", java.time.Duration.ofMillis(500))
        .<ErrorCode>map(reply -> null)
        .recover(t -> Future.succeededFuture(((ActorException) t).code()))
        .compose(code -> code == ErrorCode.NO_ACTOR || tries <= 1 ? Future.succeededFuture(code)
            : untilGone(address, tries - 1));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loader_pathTraversal_isBadRequestNamingTheRoots(VertxTestContext ctx) {
    ask(LoaderProtocol.ADDRESS, open("../../etc/passwd", 10))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, t);
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertTrue(e.getMessage().contains("../../etc/passwd") && e.getMessage().contains(dir().toString()),
              e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loader_absentSource_isNotFound(VertxTestContext ctx) {
    ask(LoaderProtocol.ADDRESS, open("nope.csv", 10))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.NOT_FOUND, ((ActorException) t).code());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loader_tutorialStringRequest_repliesASummaryOfTheWholeFile(VertxTestContext ctx) {
    this.<JsonObject>ask(LoaderProtocol.ADDRESS, "small.csv")
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("Data loaded from small.csv (250 rows, 4 columns)", reply.getString("message"));
          assertEquals(250L, reply.getLong("rowsRead"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loader_wholeFile_isOneBatch_andTooLargeBeyondMaxRows(VertxTestContext ctx) {
    JsonObject load = new JsonObject().put("op", "load").put("source", "small.csv");
    this.<Batch>ask(LoaderProtocol.ADDRESS, load)
        .compose(table -> {
          ctx.verify(() -> assertEquals(250, table.rowCount()));
          return ask(LoaderProtocol.ADDRESS, load.copy().put("maxRows", 100));
        })
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.TOO_LARGE, ((ActorException) t).code());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void loader_badRowUnderFailPolicy_failsNextNamingLineColumnAndValue(VertxTestContext ctx) throws IOException {
    Files.writeString(dir().resolve("bad.csv"), "a,b\n1,2\n3,4\n5,abc\n");
    JsonObject open = new JsonObject().put("op", "open").put("source", "bad.csv").put("sampleRows", 2);
    this.<JsonObject>ask(LoaderProtocol.ADDRESS, open)
        .compose(o -> ask(o.getString("cursor"), "next"))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("abc"), e.getMessage());
          ctx.completeNow();
        })));
  }

  private static final JsonObject SPEC = new JsonObject()
      .put("id_column", "id").put("label_column", "y")
      .put("steps", new JsonArray()
          .add(new JsonObject().put("impute", new JsonObject().put("strategy", "mean").put("columns", new JsonArray().add("x"))))
          .add(new JsonObject().put("scale", new JsonObject().put("method", "standard").put("columns", new JsonArray().add("x"))))
          .add(new JsonObject().put("onehot", new JsonObject().put("columns", new JsonArray().add("city")))));

  /** Fits the preprocessor on small.csv through the loader; completes with the fit reply. */
  private Future<JsonObject> fitPreprocessor() {
    return this.<Batch>ask(LoaderProtocol.ADDRESS, new JsonObject().put("op", "load").put("source", "small.csv")
            .put("schema", new JsonObject().put("id", "string")))
        .compose(table -> this.<JsonObject>ask(StageProtocol.PREPROCESS_ADDRESS,
                new JsonObject().put("op", "fit").put("spec", SPEC))
            .compose(s -> ask(s.getString("session"), table.slice(0, 120))
                .compose(r -> ask(s.getString("session"), table.slice(120, 250)))
                .compose(r -> ask(s.getString("session"), new JsonObject().put("op", "finish")))));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void preprocessFit_overAStreamOfBatches_givesAStateWithAContentId(VertxTestContext ctx) {
    fitPreprocessor().onComplete(ctx.succeeding(fitted -> ctx.verify(() -> {
      assertTrue(fitted.getString("preprocessor").startsWith("pp-"));
      assertEquals(new JsonArray().add("x").add("city=Lyon").add("city=Paris"), fitted.getJsonArray("features"));
      assertEquals(250L, fitted.getLong("rows"));
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void preprocessTransform_countsUnseenLevels_andJsonClientsGetRows(VertxTestContext ctx) {
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("id", "a").put("x", 1.0).put("city", "Paris"))
        .add(new JsonObject().put("id", "b").put("x", null).put("city", "Nice"));
    fitPreprocessor()
        .compose(f -> this.<JsonObject>ask(StageProtocol.PREPROCESS_ADDRESS, new JsonObject().put("op", "transform")
            .put("preprocessor", f.getString("preprocessor")).put("rows", rows)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(1L, reply.getJsonObject("unknownLevels").getLong("city"));
          JsonObject second = reply.getJsonArray("rows").getJsonObject(1);
          assertEquals(0L, ((Number) second.getValue("city=Paris")).longValue());
          assertEquals(0L, ((Number) second.getValue("city=Lyon")).longValue());
          assertEquals("b", second.getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void preprocessTransform_ofAnUnknownId_isNotFound_andWorksWhenTheStateTravelsAlong(VertxTestContext ctx) {
    Batch one = Batch.of(new StringColumn("id", new String[] {"z"}), new NumericColumn("x", new double[] {2}),
        new StringColumn("city", new String[] {"Lyon"}));
    fitPreprocessor().compose(f -> {
      String state = f.getJsonObject("state").encode();
      String fakeId = "pp-0000000000000000";
      return ask(StageProtocol.PREPROCESS_ADDRESS, new StageProtocol.Transform(fakeId, one))
          .<Object>map(ok -> ok)
          .recover(t -> {
            ctx.verify(() -> assertEquals(ErrorCode.NOT_FOUND, ((ActorException) t).code()));
            return ask(StageProtocol.PREPROCESS_ADDRESS, new StageProtocol.Transform(fakeId, one).withState(state));
          });
    }).onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      var t = assertInstanceOf(StageProtocol.Transformed.class, reply);
      assertEquals(List.of("id", "x", "city=Lyon", "city=Paris"), t.features().columnNames());
      assertEquals(1.0, t.features().numeric("city=Lyon").get(0));
      ctx.completeNow();
    })));
  }

  /** The preprocessor fitted on small.csv and a model fitted on its features; completes with both fit replies. */
  private Future<List<JsonObject>> fitPreprocessorAndModel() {
    return fitPreprocessor().compose(pp -> this.<Batch>ask(LoaderProtocol.ADDRESS, new JsonObject().put("op", "load")
            .put("source", "small.csv").put("schema", new JsonObject().put("id", "string")))
        .compose(table -> this.<StageProtocol.Transformed>ask(StageProtocol.PREPROCESS_ADDRESS,
                new StageProtocol.Transform(pp.getString("preprocessor"), table))
            .compose(t -> fitModel(t.features().drop(Set.of("id")).withColumns(List.of(table.column("y"))))))
        .map(model -> List.of(pp, model)));
  }

  private static Batch newRows() {
    return new Batch(3, 300, 3, List.of(new NumericColumn("x", new double[] {1, 20, -2}),
        new StringColumn("city", new String[] {"Paris", "Nice", "Lyon"})));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void transformPredict_givesWhatTransformThenPredictGive_andCountsUnseenLevels(VertxTestContext ctx) {
    fitPreprocessorAndModel().compose(fitted -> {
      String pp = fitted.get(0).getString("preprocessor");
      String model = fitted.get(1).getString("model");
      Future<StageProtocol.TransformPredicted> chained = ask(StageProtocol.PREPROCESS_ADDRESS,
          new StageProtocol.TransformPredict(new StageProtocol.Transform(pp, newRows()), model, null));
      Future<StageProtocol.Predicted> apart = this.<StageProtocol.Transformed>ask(StageProtocol.PREPROCESS_ADDRESS,
              new StageProtocol.Transform(pp, newRows()))
          .compose(t -> ask(StageProtocol.MODEL_ADDRESS, new StageProtocol.Predict(model, t.features(), null)));
      return Future.all(chained, apart).map(all -> List.<Object>of(model, all.resultAt(0), all.resultAt(1)));
    }).onComplete(ctx.succeeding(got -> ctx.verify(() -> {
      var chained = (StageProtocol.TransformPredicted) got.get(1);
      var apart = (StageProtocol.Predicted) got.get(2);
      assertEquals(got.get(0), chained.predicted().model());
      assertEquals(apart.predictions().columnNames(), chained.predicted().predictions().columnNames());
      for (String c : List.of("prediction", "p_0", "p_1")) {
        assertArrayEquals(apart.predictions().numeric(c).values(), chained.predicted().predictions().numeric(c).values(), c);
      }
      assertEquals(3, chained.predicted().predictions().index(), "the batch keeps its position");
      assertEquals(Map.of("city", 1L), chained.unknownLevels());
      assertTrue(chained.node() != null && chained.predicted().node() != null, "both nodes are named");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void transformPredict_modelFailuresComeBackAsTheModelGaveThem(VertxTestContext ctx) {
    fitPreprocessorAndModel().compose(fitted -> {
      String pp = fitted.get(0).getString("preprocessor");
      String modelState = fitted.get(1).getJsonObject("state").encode();
      var unknownModel = new StageProtocol.TransformPredict(new StageProtocol.Transform(pp, newRows()),
          "logistic-0000000000000000", null);
      Future<Object> notFound = ask(StageProtocol.PREPROCESS_ADDRESS, unknownModel);
      // features [x, city=Lyon, city=Paris] for a model that knows [x] only
      Future<Object> mismatch = fitModel(trainingBatch(0, 100)).compose(m -> ask(StageProtocol.PREPROCESS_ADDRESS,
          new StageProtocol.TransformPredict(new StageProtocol.Transform(pp, newRows()), m.getString("model"), null)));
      return Future.join(notFound, mismatch).transform(x -> Future.succeededFuture(List.of(notFound, mismatch)))
          .compose(failed -> ask(StageProtocol.PREPROCESS_ADDRESS, unknownModel.withStates(null, modelState))
              .map(ok -> List.<Object>of(failed.get(0), failed.get(1), ok)));
    }).onComplete(ctx.succeeding(got -> ctx.verify(() -> {
      ActorException notFound = assertInstanceOf(ActorException.class, ((Future<?>) got.get(0)).cause());
      assertEquals(ErrorCode.NOT_FOUND, notFound.code());
      assertTrue(notFound.getMessage().contains("model 'logistic-0000000000000000'"), notFound.getMessage());
      ActorException mismatch = assertInstanceOf(ActorException.class, ((Future<?>) got.get(1)).cause());
      assertEquals(ErrorCode.BAD_REQUEST, mismatch.code());
      assertTrue(mismatch.getMessage().contains("city=Lyon"), mismatch.getMessage());
      var learnt = assertInstanceOf(StageProtocol.TransformPredicted.class, got.get(2));
      assertEquals(3, learnt.predicted().predictions().rowCount());
      ctx.completeNow();
    })));
  }

  private Batch trainingBatch(int from, int to) {
    int n = to - from;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (from + i) / 10.0 - 5;
      y[i] = (from + i) % 4 == 0 ? 1 - (x[i] > 0 ? 1 : 0) : (x[i] > 0 ? 1 : 0);
    }
    return new Batch(from / 50, from, n, List.of(new NumericColumn("x", x), new NumericColumn("y", y)));
  }

  private Future<JsonObject> fitModel(Batch... batches) {
    JsonObject fit = new StageProtocol.ModelFit(io.busflow.pipeline.protocol.ModelSpec.read(new io.busflow.config.ConfigReader(
        new JsonObject().put("type", "logistic"), "model")), "y", List.of()).toJson();
    return this.<JsonObject>ask(StageProtocol.MODEL_ADDRESS, fit).compose(s -> {
      Future<Object> f = Future.succeededFuture();
      for (Batch b : batches) {
        f = f.compose(r -> ask(s.getString("session"), b));
      }
      return f.compose(r -> ask(s.getString("session"), "finish"));
    });
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelFit_thenPredict_everyPredictionCarriesTheModelVersion(VertxTestContext ctx) {
    Batch features = new Batch(7, 700, 2, List.of(new StringColumn("id", new String[] {"p", "q"}),
        new NumericColumn("x", new double[] {-4, 4})));
    fitModel(trainingBatch(50, 100), trainingBatch(0, 50))
        .compose(m -> this.<StageProtocol.Predicted>ask(StageProtocol.MODEL_ADDRESS,
            new StageProtocol.Predict(m.getString("model"), features, "id")).map(p -> List.of(m, p)))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          JsonObject m = (JsonObject) pair.get(0);
          var p = (StageProtocol.Predicted) pair.get(1);
          assertEquals(m.getString("model"), p.model());
          assertTrue(p.model().startsWith("logistic-"));
          assertEquals(List.of("id", "prediction", "p_0", "p_1"), p.predictions().columnNames());
          assertEquals(7, p.predictions().index(), "the batch keeps its position");
          assertArrayEquals(new double[] {0, 1}, p.predictions().numeric("prediction").values());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelFit_sameDataInAnyArrivalOrder_givesTheSameVersion(VertxTestContext ctx) {
    fitModel(trainingBatch(0, 50), trainingBatch(50, 100))
        .compose(a -> fitModel(trainingBatch(50, 100), trainingBatch(0, 50)).map(b -> List.of(a, b)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(both.get(0).getString("model"), both.get(1).getString("model"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelPredict_withMismatchedFeatures_isBadRequestListingTheDifference(VertxTestContext ctx) {
    Batch wrong = Batch.of(new NumericColumn("z", new double[] {1}));
    fitModel(trainingBatch(0, 100))
        .compose(m -> ask(StageProtocol.MODEL_ADDRESS, new StageProtocol.Predict(m.getString("model"), wrong, null)))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = (ActorException) t;
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertTrue(e.getMessage().contains("missing: [x]") && e.getMessage().contains("unexpected: [z]"),
              e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelFit_withOneClassOnly_isBadRequestSayingSo(VertxTestContext ctx) {
    Batch oneClass = Batch.of(new NumericColumn("x", new double[] {1, 2, 3}),
        new NumericColumn("y", new double[] {1, 1, 1}));
    fitModel(oneClass).onComplete(ctx.failing(t -> ctx.verify(() -> {
      ActorException e = (ActorException) t;
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
      assertTrue(e.getMessage().contains("one class only"), e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelDescribe_givesTheStateAndTheNamedCoefficients(VertxTestContext ctx) {
    fitModel(trainingBatch(0, 100))
        .compose(m -> this.<JsonObject>ask(StageProtocol.MODEL_ADDRESS, new JsonObject().put("op", "describe")
            .put("model", m.getString("model"))).map(d -> List.of(m, d)))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          JsonObject state = pair.get(1).getJsonObject("state");
          for (JsonObject reply : pair) {
            JsonObject row = reply.getJsonArray("coefficients").getJsonObject(0);
            assertEquals("1", row.getString("class"), "a binary model's row is for its positive class");
            assertEquals(state.getDouble("intercept"), row.getDouble("intercept"));
            assertEquals(new JsonObject().put("feature", "x").put("coef", state.getJsonArray("coef").getDouble(0)),
                row.getJsonArray("coefficients").getJsonObject(0));
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void modelSaveAndLoad_roundTripsThroughAFile_keepingTheVersion(VertxTestContext ctx) {
    fitModel(trainingBatch(0, 100))
        .compose(m -> this.<JsonObject>ask(StageProtocol.MODEL_ADDRESS, new JsonObject().put("op", "save")
                .put("model", m.getString("model")).put("path", "model.json"))
            .compose(saved -> ask(StageProtocol.MODEL_ADDRESS, new JsonObject().put("op", "load").put("path", "model.json")))
            .map(loaded -> List.of(m, (JsonObject) loaded)))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          assertEquals(pair.get(0).getString("model"), pair.get(1).getString("model"));
          assertEquals(new JsonArray().add("x"), pair.get(1).getJsonArray("features"));
          assertTrue(Files.exists(dir().resolve("out/model.json")));
          assertNotEquals(0, Files.size(dir().resolve("out/model.json")));
          ctx.completeNow();
        })));
  }
}
