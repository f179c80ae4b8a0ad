package io.busflow.pipeline;

import io.busflow.actor.ActorRef;
import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.AtomicFiles;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.model.ModelProtocol;
import io.busflow.pipeline.preprocess.PreprocessProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training phases of a job, each one pass over the training source: fit the preprocessing on the
 * training rows (streamed to a fit session), fit the model on their features (streamed to a model fit
 * session), then evaluate on the test rows; save both fitted states. Rows without a label are left out
 * of fitting and counted. Confined to the coordinator's context.
 */
final class Training {

  /** Which rows of a training-source batch train and which test (the split's, or a fold's). */
  interface Rows {
    Batch train(Batch b);

    Batch test(Batch b);
  }

  private final JobContext ctx;
  private final Rows rows;
  private final JsonObject report = new JsonObject();
  private final long[] unlabelled = new long[1];
  private long trainRows;

  /**
   * What training (or loading saved states) produced: the stage client, what the model predicts, and the
   * type each input column of the preprocessor needs (the scored source is read with them).
   */
  record Result(StageClient stages, JobContext.ModelInfo info, Map<String, ColumnType> inputTypes) {
    /** The input types of a preprocessor's {@link Preprocessor#inputs()}. */
    static Map<String, ColumnType> types(Map<String, Preprocessor.Input> inputs) {
      Map<String, ColumnType> out = new LinkedHashMap<>();
      inputs.forEach((c, in) -> out.put(c, in.type()));
      return out;
    }
  }

  Training(JobContext ctx) {
    this(ctx, new Rows() {
      @Override
      public Batch train(Batch b) {
        return ctx.splitter.train(b);
      }

      @Override
      public Batch test(Batch b) {
        return ctx.splitter.test(b);
      }
    });
  }

  /** Training on {@code rows} (a cross-validation fold). */
  Training(JobContext ctx, Rows rows) {
    this.ctx = ctx;
    this.rows = rows;
  }

  /** How many training rows the last preprocessing fit saw. */
  long trainRows() {
    return trainRows;
  }

  /** The training part of the job report. */
  JsonObject report() {
    return report;
  }

  Future<Result> run() {
    return fitPreprocessor().compose(pre -> fitModel(pre).compose(model -> {
      var result = result(pre, model);
      return save(pre, model).compose(v -> evaluate(result)).compose(v -> crossValidate()).map(result);
    }));
  }

  /** Fits on the training rows and evaluates on the test rows of the training source; saves nothing. */
  Future<JsonObject> fitAndEvaluate() {
    return fitPreprocessor().compose(pre -> fitModel(pre)
        .compose(model -> evaluate(result(pre, model), ctx.def.source(), false)));
  }

  private Result result(JsonObject pre, JsonObject model) {
    var fitted = StageClient.Fitted.of(pre, pre.getJsonObject("state").encode(), model,
        model.getJsonObject("state").encode());
    var inputs = Result.types(Preprocessor.fromState(JsonShapes.toMap(pre.getJsonObject("state"))).inputs());
    return new Result(new StageClient(ctx, fitted), JobContext.ModelInfo.of(model), inputs);
  }

  private Future<Void> crossValidate() {
    if (ctx.def.crossValidation() == null) {
      return Future.succeededFuture();
    }
    return new CrossValidation(ctx).run().map(cv -> {
      report.put("crossValidation", cv);
      return null;
    });
  }

  private Future<JsonObject> fitPreprocessor() {
    return ctx.restartable("fit preprocessing", this::fitPreprocessorOnce)
        .recover(t -> Future.failedFuture(ctx.withTypeReason(t)))
        .onSuccess(pre -> report.put("preprocessor", new JsonObject().put("id", pre.getString("preprocessor"))
            .put("features", pre.getJsonArray("features"))));
  }

  private Future<JsonObject> fitPreprocessorOnce() {
    trainRows = 0;
    unlabelled[0] = 0;
    return ctx.ask(PreprocessProtocol.ADDRESS, PreprocessProtocol.fit(ctx.def.preprocessing()))
        .compose(s -> {
          ActorRef session = ctx.refs.to(s.getString("session"));
          ctx.fitting(session.address());
          return ctx.pass("fit preprocessing", ctx.def.source(), true, this::trainingRows, rows -> feed(session, rows))
              .compose(summary -> finish(session, summary))
              .onFailure(t -> abort(session))
              .eventually(() -> fitted());
        });
  }

  private Future<Void> fitted() {
    ctx.fitting(null);
    return Future.succeededFuture();
  }

  private Future<Batch> trainingRows(Batch b) {
    Batch picked = ctx.labelled(rows.train(b), unlabelled);
    trainRows += picked.rowCount();
    return Future.succeededFuture(picked);
  }

  private Future<Void> feed(ActorRef session, Batch rows) {
    return rows == null || rows.rowCount() == 0 ? Future.succeededFuture()
        : ctx.calls.session(session.address(), () -> session.ask(rows)).mapEmpty();
  }

  /** Ends a fit session after a failed or cancelled pass or finish (one that failed has ended itself already). */
  private static void abort(ActorRef session) {
    session.ask(new JsonObject().put("op", "abort")).recover(t -> Future.succeededFuture());
  }

  private Future<JsonObject> finish(ActorRef session, LoaderProtocol.Summary summary) {
    report.put("source", summary.toJson().put("source", ctx.def.source()))
        .put("trainRows", trainRows).put("rowsWithoutLabel", unlabelled[0]);
    return ctx.calls.session(session.address(), () -> session.ask("finish"));
  }

  private Future<JsonObject> fitModel(JsonObject pre) {
    var stages = new StageClient(ctx, StageClient.Fitted.of(pre, pre.getJsonObject("state").encode(), null, null));
    return ctx.restartable("fit model", () -> fitModelOnce(stages)).onSuccess(this::reportModel);
  }

  private Future<JsonObject> fitModelOnce(StageClient stages) {
    var fit = new ModelProtocol.Fit(ctx.def.model(), ctx.label, ctx.idColumn == null ? List.of() : List.of(ctx.idColumn));
    return ctx.ask(ModelProtocol.ADDRESS, fit.toJson())
        .compose(s -> {
          ActorRef session = ctx.refs.to(s.getString("session"));
          ctx.fitting(session.address());
          return ctx.pass("fit model", ctx.def.source(), true, b -> features(stages, b), f -> feed(session, f))
              .compose(summary -> ctx.calls.<JsonObject>session(session.address(), () -> session.ask("finish")))
              .onFailure(t -> abort(session))
              .eventually(() -> fitted());
        });
  }

  /** The features of the training rows of {@code b}, with the label column. */
  private Future<Batch> features(StageClient stages, Batch b) {
    Batch picked = ctx.labelled(rows.train(b), null);
    if (picked.rowCount() == 0) {
      return Future.succeededFuture(null);
    }
    return stages.transform(picked).map(t -> t.features().withColumns(List.of(picked.column(ctx.label))));
  }

  private void reportModel(JsonObject m) {
    JsonObject model = new JsonObject().put("id", m.getString("model")).put("type", ctx.def.model().type())
        .put("params", ctx.def.model().toJson().getJsonObject("params")).put("rows", m.getLong("rows"));
    if (m.containsKey("classes")) {
      model.put("classes", m.getJsonArray("classes"));
    }
    if (m.containsKey("fit")) {
      model.put("fit", m.getJsonObject("fit"));
    }
    if (m.containsKey("coefficients")) {
      model.put("coefficients", m.getJsonArray("coefficients"));
    }
    report.put("model", model);
  }

  private Future<Void> save(JsonObject pre, JsonObject model) {
    return ctx.executor.executeBlocking(() -> {
      ctx.requireNotCancelled();
      write(ctx.targets.preprocessor(), pre.getJsonObject("state"), "preprocessor");
      ctx.requireNotCancelled();
      write(ctx.targets.model(), model.getJsonObject("state"), "model");
      return null;
    }, true);
  }

  private void write(Path target, JsonObject state, String what) {
    if (target != null) {
      AtomicFiles.write(target, state.encodePrettily());
      report.getJsonObject(what).put("path", ctx.shown(target));
    }
  }

  private Future<Void> evaluate(Result r) {
    boolean separate = ctx.def.split() instanceof PipelineDefinition.TestSource;
    if (!separate && !ctx.splitter.holdsOut()) {
      report.put("evaluation", new JsonObject().put("rows", 0).put("note", "no test rows: split.test is 0"));
      return Future.succeededFuture();
    }
    String source = separate ? ((PipelineDefinition.TestSource) ctx.def.split()).source() : ctx.def.source();
    return evaluate(r, source, separate).map(ev -> {
      report.put("evaluation", ev);
      return null;
    });
  }

  private Future<JsonObject> evaluate(Result r, String source, boolean separate) {
    Evaluation ev = new Evaluation(r.info().schema());
    return ctx.pass("evaluate", source, true, b -> testRows(r.stages(), b, separate), s -> take(ev, s))
        .map(summary -> ev.report().put("source", source));
  }

  private Future<Scored> testRows(StageClient stages, Batch b, boolean separate) {
    Batch picked = separate ? ctx.splitter.prepare(b) : rows.test(b);
    if (picked.rowCount() == 0) {
      return Future.succeededFuture(null);
    }
    return Scored.of(stages, picked, picked.column(ctx.label), ctx.idColumn);
  }

  private static Future<Void> take(Evaluation ev, Scored s) {
    if (s != null) {
      ev.add(s.labels(), s.predictions());
    }
    return Future.succeededFuture();
  }
}
