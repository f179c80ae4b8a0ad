package io.busflow.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.config.Threading;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.model.LogisticRegression;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stage makes for one batch is bounded by {@code batchMaxBytes} (8 bytes a value): a transform past it is
 * refused {@code TOO_LARGE} naming the option and the rows that fit, and a transform-and-predict is done in slices
 * that fit, its predictions the same rows in the same order as the slices' apart. Here the bound is 1 KB: 42 rows of
 * 3 features.
 */
@ExtendWith(VertxExtension.class)
class StageBatchBoundTest {

  @TempDir
  Path dir;

  private static final int ROWS = 200;

  private static Batch rows(long index, long firstRow, int n) {
    String[] id = new String[n];
    double[] x = new double[n];
    String[] city = new String[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      id[i] = "r" + i;
      x[i] = i / 10.0;
      city[i] = i % 3 == 0 ? "Paris" : i % 7 == 0 ? "Nice" : "Lyon";
      y[i] = (i % 2 == 0) == (i % 5 < 3) ? 1 : 0;
    }
    return new Batch(index, firstRow, n, List.of(new StringColumn("id", id), new NumericColumn("x", x),
        new StringColumn("city", city), new NumericColumn("y", y)));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pastBatchMaxBytes_aTransformIsRefused_andATransformPredictGoesInSlices(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    Batch train = rows(0, 0, ROWS);
    Map<String, Object> spec = new JsonObject("{\"id_column\": \"id\", \"label_column\": \"y\", \"steps\": [{\"onehot\": "
        + "{\"columns\": [\"city\"], \"levels\": {\"city\": [\"Lyon\", \"Paris\"]}}}]}").getMap();
    Preprocessor pre = Preprocessor.fit(spec, () -> List.of(train).iterator());
    Batch features = pre.transform(train).drop(java.util.Set.of("id"));
    LogisticRegression model = LogisticRegression.fit(features, train.column("y"),
        new LogisticRegression.Options(1.0, 1e-4, 100, 0.5));
    JsonObject options = Stages.options(dir).put("batchMaxBytes", 1024);
    Stages stages = new Stages();
    ActorRef preprocess = ActorRef.of(vertx, StageProtocol.PREPROCESS_ADDRESS);
    ActorRef predictor = ActorRef.of(vertx, StageProtocol.MODEL_ADDRESS);
    Batch scored = rows(5, 1000, ROWS).drop(java.util.Set.of("id", "y")); // as a job's runner sends them
    stages.deploy(vertx, "preprocess", StageProtocol.PREPROCESS_ADDRESS, 1, Threading.WORKER, options,
            StageActor::preprocessor)
        .compose(d -> stages.deploy(vertx, "model", StageProtocol.MODEL_ADDRESS, 1, Threading.WORKER, options,
            StageActor::model))
        .compose(d -> Future.all(preprocess.<JsonObject>ask(StageProtocol.Load.of(pre.toState()).toJson()),
            predictor.<JsonObject>ask(StageProtocol.Load.of(model.toState()).toJson())))
        .compose(loaded -> {
          String pp = ((JsonObject) loaded.resultAt(0)).getString("preprocessor");
          String m = ((JsonObject) loaded.resultAt(1)).getString("model");
          Future<Object> whole = preprocess.ask(new StageProtocol.Transform(pp, scored));
          Future<StageProtocol.TransformPredicted> sliced = preprocess.ask(
              new StageProtocol.TransformPredict(new StageProtocol.Transform(pp, scored), m, null));
          return whole.<Object>transform(Future::succeededFuture)
              .compose(refused -> sliced.compose(s -> apart(preprocess, predictor, pp, m, scored, 42)
                  .map(a -> List.of(refused, s, a))));
        })
        .eventually(stages::undeployAll)
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          var refused = (io.vertx.core.AsyncResult<?>) got.get(0);
          assertTrue(refused.failed(), "a transform of " + ROWS + " rows of 3 values is more than 1 KB");
          ActorException e = ActorException.of(refused.cause(), StageProtocol.PREPROCESS_ADDRESS);
          assertEquals(ErrorCode.TOO_LARGE, e.code(), e.getMessage());
          assertTrue(e.getMessage().contains("(actors.preprocess.options.batchMaxBytes); send at most 42 rows a batch"),
              e.getMessage());
          var sliced = (StageProtocol.TransformPredicted) got.get(1);
          Batch expected = (Batch) got.get(2);
          Batch predictions = sliced.predicted().predictions();
          assertEquals(ROWS, predictions.rowCount());
          assertEquals(5, predictions.index(), "the batch keeps its position");
          assertEquals(1000, predictions.firstRow());
          for (String c : List.of("prediction", "p_0", "p_1")) {
            assertArrayEquals(expected.numeric(c).values(), predictions.numeric(c).values(), c);
          }
          long nice = java.util.Arrays.stream(scored.strings("city").values()).filter("Nice"::equals).count();
          assertEquals(Map.of("city", nice), sliced.unknownLevels(), "unseen levels summed over the slices");
          ctx.completeNow();
        })));
  }

  /** Transform then predict {@code all} in slices of {@code rows}, apart; the predictions joined in order. */
  private static Future<Batch> apart(ActorRef preprocess, ActorRef predictor, String pp, String m, Batch all,
      int rows) {
    List<Future<Batch>> parts = new ArrayList<>();
    for (int from = 0, i = 0; from < all.rowCount(); from += rows, i++) {
      long index = i;
      Batch slice = all.slice(from, Math.min(all.rowCount(), from + rows));
      parts.add(preprocess.<StageProtocol.Transformed>ask(new StageProtocol.Transform(pp, slice))
          .compose(t -> predictor.<StageProtocol.Predicted>ask(new StageProtocol.Predict(m, t.features(), null)))
          .map(p -> p.predictions().withPosition(index, p.predictions().firstRow())));
    }
    return Future.all(parts).map(f -> Batches.concat(f.<Batch>list()));
  }
}
