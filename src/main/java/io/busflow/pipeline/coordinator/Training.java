package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.data.ColumnType;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.Preprocessor;
import io.busflow.data.io.ReadOptions;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.internal.AtomicFiles;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training phases of a job, each one pass over the training source: fit the preprocessing on the
 * training rows (streamed to a fit session), fit the model on their features (streamed to a model fit
 * session), then evaluate on the test rows; save both fitted states. Rows without a label are left out
 * of fitting and counted. Confined to the coordinator's context.
 *
 * <p>The passes of a job run on piece runners ({@link PieceRuns}, {@link PieceProtocol.Training}), as scoring
 * does: the coordinator sends each piece one run request, and the runner beside the loader picks the piece's
 * rows by the split and sends them — or their features — straight to the fit session, or scores its test rows;
 * what comes back is counts, and for the evaluation the test rows' labels and predictions. With {@code partitions}
 * above 1 (and a source of at least {@code partitionMinBytes}) the pieces are exact pieces of the source read at
 * once, every batch numbered for the whole source ({@link Batches#inPiece}): its first row, so that a split by
 * fraction picks the rows it picks in a read front to back, and its index, so that the fit sessions fit each piece
 * apart and merge the pieces in file order (the model session also sums its Newton steps over as many row blocks
 * at once, and the evaluation computes its metrics on as many threads). The first row of each piece is guessed
 * from the file line it starts on and learnt exactly from the first pass; when the guess was wrong (quoted line
 * breaks, blank lines, rejected rows) and the split depends on row positions, the preprocessing fit is read once
 * more. The fitted states are the one-piece ones: the same classes, levels, medians and most-frequent values;
 * coefficients within 1e-9 relative. Cross-validation ({@link CrossValidation}) runs its passes in the same pieces,
 * each fold a {@link #fold} of the job's training whose runners pick the rows by the fold's rule.
 */
final class Training {

  private static final Logger LOG = LoggerFactory.getLogger(Training.class);

  private final JobContext ctx;
  /** The cross-validation fold of each piece, when this is a fold's training; null for the job's own. */
  private final IntFunction<PieceProtocol.Fold> fold;
  /** The pieces of the training source read at once; null when it is read whole. */
  private List<ReadOptions.ByteRange> pieces;
  /** The first row of each piece: guessed from its first line, exact once a pass has read every piece. */
  private long[] firstRows;
  private boolean firstRowsExact;
  /** The training part of the job report, as far as the phase got (see {@link JobReport.Training}). */
  private Integer partitions;
  private JsonObject source;
  private Long reportedTrainRows;
  private Long rowsWithoutLabel;
  private JobReport.FittedPreprocessor preprocessor;
  private JobReport.FittedModel model;
  private JsonObject evaluation;
  private JsonObject crossValidation;
  private long unlabelled;
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
    this.ctx = ctx;
    this.fold = null;
  }

  /** The training of a cross-validation fold: {@code job}'s pieces, and the rows that {@code fold} picks. */
  private Training(Training job, IntFunction<PieceProtocol.Fold> fold) {
    this.ctx = job.ctx;
    this.fold = fold;
    this.pieces = job.pieces;
    this.firstRows = job.firstRows;
    this.firstRowsExact = job.firstRowsExact;
    this.partitions = job.partitions;
  }

  /**
   * The training of a cross-validation fold, in this training's pieces (their first rows known: it has run), on the
   * rows that {@code fold} (of each piece) picks; see {@link #fitAndEvaluate}.
   */
  Training fold(IntFunction<PieceProtocol.Fold> fold) {
    return new Training(this, fold);
  }

  /**
   * The count pass of cross-validation over the training source in this training's pieces: each run's counts of
   * labelled training rows per batch, by {@code rule}'s classes ({@link PieceProtocol.Task#COUNT}); in piece order.
   */
  Future<List<PieceProtocol.Done>> count(PieceProtocol.Fold rule) {
    return runPass("cross-validation: count", ctx.def.source(), pieces, firstRows, PieceProtocol.Task.COUNT, null,
        null, null, piece -> rule);
  }

  /** How many training rows the last preprocessing fit saw. */
  long trainRows() {
    return trainRows;
  }

  /** The training part of the job report. */
  JobReport.Training report() {
    return new JobReport.Training(partitions, source, reportedTrainRows, rowsWithoutLabel, preprocessor, model,
        evaluation, crossValidation);
  }

  Future<Result> run() {
    return planPieces().compose(v -> fitPreprocessor()).compose(pre -> fitModel(pre).compose(model -> {
      var result = result(pre, model);
      return save(pre, model).compose(v -> evaluate(result)).compose(v -> crossValidate()).map(result);
    }));
  }

  /** Fits on the training rows and evaluates on the test rows of the training source; saves nothing. */
  Future<JsonObject> fitAndEvaluate() {
    return fitPreprocessor().compose(pre -> fitModel(pre)
        .compose(model -> evaluate(result(pre, model), ctx.def.source(), false)));
  }

  private Result result(StageProtocol.Fitted pre, StageProtocol.Fitted model) {
    var fitted = StageClient.Fitted.of(pre.loaded(), pre.stateJson(), model.loaded(), model.stateJson());
    var inputs = Result.types(((StageProtocol.PreprocessorLoaded) pre.loaded()).inputs());
    return new Result(new StageClient(ctx.refs, ctx.calls, fitted), JobContext.ModelInfo.of(model.loaded()), inputs);
  }

  /** Plans the pieces of the training source when the job asks for partitions; one piece is read whole. */
  private Future<Void> planPieces() {
    int wanted = ctx.def.partitionsFor(Runtime.getRuntime().availableProcessors());
    Future<List<ReadOptions.ByteRange>> planned = wanted > 1 ? ctx.plan(ctx.def.source(), wanted)
        : Future.succeededFuture(List.of());
    return planned.map(ranges -> {
      pieces = ranges.size() > 1 ? ranges : null;
      firstRows = pieces == null ? null : guessedFirstRows(pieces);
      partitions = pieces == null ? 1 : pieces.size();
      return null;
    });
  }

  /** The first row of each piece if every line after the header holds one row. */
  private long[] guessedFirstRows(List<ReadOptions.ByteRange> ranges) {
    String name = ctx.def.source().toLowerCase(java.util.Locale.ROOT);
    boolean jsonLines = name.endsWith(".jsonl") || name.endsWith(".ndjson");
    int headerLines = !jsonLines && ctx.def.read().header() ? 1 : 0;
    long[] out = new long[ranges.size()];
    for (int p = 1; p < out.length; p++) {
      out[p] = Math.max(0, ranges.get(p).firstLine() - 1 - headerLines);
    }
    return out;
  }

  /**
   * One pass of {@code phase} over {@code source} on piece runners, each doing {@code task} with the rows of its
   * piece: the pieces {@code ranges} at once (null: the whole file), piece p's rows numbered from
   * {@code starts[p]}; with {@code session}, the fit session they feed. {@code fitted} is what the runners score
   * with (the preprocessor alone for the model's fit), {@code output} what the model's predictions look like
   * (evaluation only), {@code folds} the cross-validation fold of each piece or null. Completes with the runs'
   * answers in piece order.
   */
  private Future<List<PieceProtocol.Done>> runPass(String phase, String source, List<ReadOptions.ByteRange> ranges,
      long[] starts, PieceProtocol.Task task, String session, StageClient.Fitted fitted, OutputSchema output,
      IntFunction<PieceProtocol.Fold> folds) {
    List<ReadOptions.ByteRange> rs = ranges == null ? Collections.singletonList(null) : ranges;
    boolean separate = !source.equals(ctx.def.source());
    return ctx.pieceOpens(source, true, List.of(), Map.of(), rs).compose(opened -> {
      ctx.progress.pass(phase, opened.first().rowsEstimate());
      var artifacts = PieceRuns.artifacts(fitted);
      PieceRuns runs = new PieceRuns(ctx, (piece, attempt, progress) -> new PieceProtocol.Run(ctx.job,
          ctx.def.name(), piece, attempt, opened.opens().get(piece), ctx.def.actorSteps(), ctx.splitter.column(),
          ctx.label, ctx.idColumn, artifacts, output, task == PieceProtocol.Task.EVALUATE, false, null, false,
          ctx.def.output().decimals(), ctx.def.batchesInFlight(), ctx.def.stageTimeoutMs(), ctx.def.stageWaitMs(),
          ctx.refs.correlationId(), progress, new PieceProtocol.Training(task, session,
              separate ? null : ctx.def.split(), starts == null ? 0 : starts[piece],
              folds == null ? null : folds.apply(piece))), session);
      return runs.run(rs.size()).onSuccess(done -> done.forEach(d -> ctx.calls.add(d.batches())));
    });
  }

  /** {@link #runPass} over the training source; learns the exact first row of each piece from it. */
  private Future<List<PieceProtocol.Done>> trainingPass(String phase, PieceProtocol.Task task, String session,
      StageClient.Fitted fitted) {
    return runPass(phase, ctx.def.source(), pieces, firstRows, task, session, fitted, null, fold).map(done -> {
      if (pieces != null) {
        learnFirstRows(done.stream().map(PieceProtocol.Done::summary).toList());
      }
      return done;
    });
  }

  /** The rows a training pass sent, and those it left out for want of a label. */
  private static long[] counts(List<PieceProtocol.Done> done) {
    long[] out = new long[2];
    done.forEach(d -> {
      out[0] += d.rowsWritten();
      out[1] += d.withoutLabel();
    });
    return out;
  }

  private void learnFirstRows(List<LoaderProtocol.Summary> summaries) {
    long[] exact = new long[summaries.size()];
    for (int p = 1; p < exact.length; p++) {
      exact[p] = exact[p - 1] + summaries.get(p - 1).rowsPassed();
    }
    firstRowsExact = java.util.Arrays.equals(exact, firstRows);
    firstRows = exact;
  }

  private Future<Void> crossValidate() {
    if (ctx.def.crossValidation() == null) {
      return Future.succeededFuture();
    }
    return new CrossValidation(ctx, this).run().map(cv -> {
      crossValidation = cv;
      return null;
    });
  }

  private Future<StageProtocol.Fitted> fitPreprocessor() {
    return ctx.restartable("fit preprocessing", this::fitPreprocessorOnce)
        .compose(pre -> pre != null ? Future.succeededFuture(pre)
            : ctx.restartable("fit preprocessing", this::fitPreprocessorOnce))
        .recover(t -> Future.failedFuture(ctx.withTypeReason(t)))
        .onSuccess(pre -> preprocessor = new JobReport.FittedPreprocessor(pre.loaded().id(), pre.loaded().features(),
            null));
  }

  private Future<StageProtocol.Fitted> fitPreprocessorOnce() {
    trainRows = 0;
    unlabelled = 0;
    var fit = new StageProtocol.PreprocessorFit(ctx.def.preprocessing());
    return ctx.ask(StageProtocol.PREPROCESS_ADDRESS, fit.toJson(), StageProtocol.FitStarted::fromJson)
        .compose(s -> {
          ActorRef session = ctx.refs.to(s.session());
          ctx.fitting(session.address());
          if (pieces != null && !s.pieces()) {
            LOG.info("job '{}': the preprocessing has a step whose fits cannot be merged; the training source is "
                + "read whole", ctx.job);
            pieces = null;
            partitions = 1;
          }
          return preprocessingPass(session)
              .onFailure(t -> abort(session))
              .compose(summary -> readAgain() ? abortForRereading(session) : finish(session, summary))
              .eventually(() -> fitted());
        });
  }

  /** The pass that sends the training rows to the preprocessing's fit {@code session}; counts them. */
  private Future<LoaderProtocol.Summary> preprocessingPass(ActorRef session) {
    return trainingPass("fit preprocessing", PieceProtocol.Task.FIT_ROWS, session.address(), null).map(done -> {
      long[] n = counts(done);
      trainRows = n[0];
      unlabelled = n[1];
      return LoaderProtocol.Summary.merged(ctx.def.source(), done.stream().map(PieceProtocol.Done::summary).toList());
    });
  }

  /**
   * Whether the preprocessing fit must read the source once more: the split picks rows by position and the
   * guessed first rows of the pieces were wrong (now they are known).
   */
  private boolean readAgain() {
    return pieces != null && !firstRowsExact && ctx.splitter.positional();
  }

  private Future<StageProtocol.Fitted> abortForRereading(ActorRef session) {
    LOG.info("job '{}': the pieces of '{}' start at other rows than their lines said (quoted line breaks, blank "
        + "lines or rejected rows); the preprocessing fit reads them once more", ctx.job, ctx.def.source());
    abort(session);
    firstRowsExact = true;
    return Future.succeededFuture(null);
  }

  private Future<Void> fitted() {
    ctx.fitting(null);
    return Future.succeededFuture();
  }

  /**
   * Ends a fit session after a failed or cancelled pass, or a finish it did not answer: {@code abort} through its
   * mailbox, or, when that is refused (a full mailbox), a cancel beside it, which ends the session once it is idle —
   * what it holds counts against the node's fit memory until then.
   */
  private void abort(ActorRef session) {
    session.ask(new JsonObject().put("op", "abort")).onFailure(t -> {
      if (t instanceof ActorException e && e.code() == ErrorCode.MAILBOX_FULL) {
        ctx.vertx.eventBus().send(SessionActor.cancelAddress(session.address()), "cancel");
      }
    });
  }

  private Future<StageProtocol.Fitted> finish(ActorRef session, LoaderProtocol.Summary summary) {
    source = summary.toJson().put("source", ctx.shownSource(ctx.def.source()));
    reportedTrainRows = trainRows;
    rowsWithoutLabel = unlabelled;
    return finish(session, StageProtocol.Kind.PREPROCESSOR);
  }

  /**
   * Ends a fit session of {@code kind}'s stage; its reply read once. A session that answers {@code finish}, with its
   * fit or a failure, has ended: it is aborted only when it did not answer (lost, timed out, or the job cancelled
   * before the request went), since an abort racing its end would reach a consumer being unregistered, which Vert.x
   * logs as a discarded message.
   */
  private Future<StageProtocol.Fitted> finish(ActorRef session, StageProtocol.Kind kind) {
    return ctx.calls.<JsonObject>session(session.address(), () -> session.ask("finish"))
        .onFailure(t -> abortUnlessAnswered(session, t))
        .map(reply -> StageProtocol.Fitted.fromJson(kind, reply));
  }

  /**
   * Aborts {@code session} when its finish failed with {@code t} without the session answering: lost, timed out, or
   * refused by its full mailbox.
   */
  private void abortUnlessAnswered(ActorRef session, Throwable t) {
    if (!(t instanceof ActorException e) || t instanceof StageCalls.SessionLost || e.code() == ErrorCode.MAILBOX_FULL) {
      abort(session);
    }
  }

  private Future<StageProtocol.Fitted> fitModel(StageProtocol.Fitted pre) {
    var stages = new StageClient(ctx.refs, ctx.calls, StageClient.Fitted.of(pre.loaded(), pre.stateJson(), null, null));
    return ctx.restartable("fit model", () -> fitModelOnce(stages)).onSuccess(this::reportModel);
  }

  private Future<StageProtocol.Fitted> fitModelOnce(StageClient stages) {
    var fit = new StageProtocol.ModelFit(ctx.def.model(), ctx.label,
        ctx.idColumn == null ? List.of() : List.of(ctx.idColumn), pieces == null ? 1 : pieces.size());
    return ctx.ask(StageProtocol.MODEL_ADDRESS, fit.toJson(), StageProtocol.FitStarted::fromJson)
        .compose(s -> {
          ActorRef session = ctx.refs.to(s.session());
          ctx.fitting(session.address());
          return trainingPass("fit model", PieceProtocol.Task.FIT_FEATURES, session.address(), stages.fitted())
              .onFailure(t -> abort(session))
              .compose(v -> solve(session))
              .eventually(() -> fitted());
        });
  }

  /** Ends the model's fit session once its pass is read: the model fits (its Newton steps) on what it kept. */
  private Future<StageProtocol.Fitted> solve(ActorRef session) {
    ctx.progress.step("fit model: solve");
    return finish(session, StageProtocol.Kind.MODEL);
  }

  private void reportModel(StageProtocol.Fitted m) {
    var output = ((StageProtocol.ModelLoaded) m.loaded()).output();
    model = new JobReport.FittedModel(m.loaded().id(), ctx.def.model().type(),
        ctx.def.model().toJson().getJsonObject("params"), m.rows(),
        output.classifier() ? new java.util.ArrayList<>(output.classes()) : null,
        m.fit() == null ? null : JsonShapes.toJson(m.fit()),
        m.coefficients() == null ? null : new JsonArray(m.coefficients()), null);
  }

  private Future<Void> save(StageProtocol.Fitted pre, StageProtocol.Fitted model) {
    return ctx.executor.executeBlocking(() -> {
      ctx.requireNotCancelled();
      String prePath = write(ctx.targets.preprocessor(), JsonShapes.toJson(pre.state()));
      if (prePath != null) {
        preprocessor = preprocessor.savedTo(prePath);
      }
      ctx.requireNotCancelled();
      String modelPath = write(ctx.targets.model(), JsonShapes.toJson(model.state()));
      if (modelPath != null) {
        this.model = this.model.savedTo(modelPath);
      }
      return null;
    }, true);
  }

  /** Writes {@code state} to {@code target} when there is one; the path as reports show it, else null. */
  private String write(Path target, JsonObject state) {
    if (target == null) {
      return null;
    }
    AtomicFiles.write(target, state.encodePrettily());
    return ctx.shown(target);
  }

  private Future<Void> evaluate(Result r) {
    boolean separate = ctx.def.split() instanceof PipelineDefinition.TestSource;
    if (!separate && !ctx.splitter.holdsOut()) {
      evaluation = new JsonObject().put("rows", 0).put("note", "no test rows: split.test is 0");
      return Future.succeededFuture();
    }
    String source = separate ? ((PipelineDefinition.TestSource) ctx.def.split()).source() : ctx.def.source();
    return evaluate(r, source, separate).map(ev -> {
      evaluation = ev;
      return null;
    });
  }

  private Future<JsonObject> evaluate(Result r, String source, boolean separate) {
    Future<List<ReadOptions.ByteRange>> ranges = !separate || pieces == null ? Future.succeededFuture(pieces)
        : ctx.plan(source, pieces.size()).map(planned -> planned.size() > 1 ? planned : null);
    return ranges.compose(rs -> runPass("evaluate", source, rs, separate ? null : firstRows,
            PieceProtocol.Task.EVALUATE, null, r.stages().fitted(), r.info().schema(), fold)
        .compose(done -> ctx.vertx.executeBlocking(() -> Evaluation.of(r.info().schema(), done)
            .report(done.size()).put("source", ctx.shownSource(source)), false)));
  }
}
