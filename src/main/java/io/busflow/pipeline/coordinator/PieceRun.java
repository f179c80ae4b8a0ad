package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.client.Scored;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.client.UserStages;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@link PieceProtocol.Run} on the node of a {@link PieceRunner}: a {@link Pass} over a cursor opened here,
 * each batch through the actor steps and the stages (instances on this node first: {@link Refs#preferLocal}),
 * its predictions written to the piece's part file through a single-thread executor of its own. A training run
 * ({@link PieceProtocol.Training}) picks the rows by the pipeline's split instead (on the worker pool: picking
 * copies every column) and sends them, or their features, to the fit session, one batch at a time in file order,
 * or scores its test rows for the evaluation; in a cross-validation fold it picks among the labelled training rows
 * by the fold's rule ({@link CrossValidation#inFold}), and its count pass counts them. The stage requests are
 * resent when their node is lost ({@link StageCalls}, this run's own); a fit session lost fails the run naming the
 * session, and the coordinator starts the pass again. Confined to the runner's context.
 */
final class PieceRun {

  private final Vertx vertx;
  private final StageOptions options;
  private final PieceProtocol.Run run;
  private final String node;
  private final Refs refs;
  private final StageCalls calls;
  private final StageClient stages;
  private final UserStages steps;
  private final JobContext.ModelInfo info;
  private final Evaluation evaluation;
  /**
   * What the evaluation keeps, in this JVM's bound on fit memory: twice its rows' bytes, as the coordinator joins
   * them once more for the report.
   */
  private final FitMemory.Share evaluationMemory;
  private final PieceProtocol.Training training;
  /** A training run's split, or null. */
  private final Splitter splitter;
  /** A cross-validation run's fold rule, or null. */
  private final PieceProtocol.Fold fold;
  private final Map<String, Long> unknown = new LinkedHashMap<>();
  /** A count run's labelled training rows per batch (by its index in the piece), by class. */
  private final Map<Long, Map<String, Long>> counts = new LinkedHashMap<>();
  private final WorkerExecutor executor;
  private List<String> columns = List.of();
  private OutputSink sink;
  /** A training run's rows sent to the fit session or evaluated, and rows without a label it left out. */
  private long rowsOut;
  private long unlabelled;
  private volatile boolean cancelled;

  PieceRun(Vertx vertx, StageOptions options, PieceProtocol.Run run) {
    this.vertx = vertx;
    this.options = options;
    this.run = run;
    this.node = StateStore.origin(vertx);
    this.refs = new Refs(vertx, run.correlationId(), Duration.ofMillis(run.stageTimeoutMs()), true);
    this.calls = new StageCalls(vertx, run.pipeline(), run.stageWaitMs(), () -> cancelled);
    PieceProtocol.Artifacts a = run.artifacts();
    this.stages = new StageClient(refs, calls, new StageClient.Fitted(a.preprocessor(), a.preprocessorFrom(),
        a.preprocessorState(), a.model(), a.modelFrom(), a.modelState()));
    this.steps = new UserStages(run.pipeline(), run.steps());
    this.info = new JobContext.ModelInfo(run.output());
    this.evaluation = run.evaluate() ? new Evaluation(run.output()) : null;
    this.evaluationMemory = FitMemory.share(options.fitMaxBytes(), options.fitMaxBytesPath(),
        FitMemory.Purpose.EVALUATION);
    this.training = run.training();
    this.splitter = training == null || training.split() == null ? null : new Splitter(training.split(), run.label());
    this.fold = training == null ? null : training.fold();
    this.executor = vertx.createSharedWorkerExecutor("busflow-job-" + run.job() + "-run-" + run.piece() + "-"
        + run.attempt(), 1);
  }

  PieceProtocol.Run request() {
    return run;
  }

  /** Stops the run before its next batch; it fails with {@link JobCancelledException}. */
  void cancel() {
    cancelled = true;
  }

  /** Runs the piece; its part file is complete when this succeeds, and deleted when it fails. */
  Future<PieceProtocol.Done> run() {
    return Cursor.open(refs, run.open())
        .compose(c -> openSink().onFailure(t -> c.close()).compose(v -> pass(c)))
        .compose(summary -> commit().map(rows -> done(summary, rows)))
        .recover(t -> abort().transform(ar -> Future.<PieceProtocol.Done>failedFuture(t)))
        .eventually(this::stop);
  }

  private Future<Void> openSink() {
    if (training != null) {
      return Future.succeededFuture();
    }
    return executor.executeBlocking(() -> options.outputRoots().resolveForWrite(run.part()), true)
        .compose(path -> OutputSink.open(executor, path, Scoring.writeOptions(info, run.decimals())
            .withHeader(run.header())))
        .map(s -> {
          sink = s;
          return null;
        });
  }

  /** The rows in the part file, or the rows a training run sent or evaluated. */
  private Future<Long> commit() {
    return sink == null ? Future.succeededFuture(rowsOut) : sink.commit();
  }

  private Future<LoaderProtocol.Summary> pass(Cursor c) {
    if (training == null) {
      return pass(c, this::score, this::write);
    }
    return switch (training.task()) {
      case FIT_ROWS -> pass(c, this::trainingRows, this::feed);
      case FIT_FEATURES -> pass(c, b -> trainingRows(b).compose(this::features), this::feed);
      case EVALUATE -> pass(c, this::testRows, this::evaluate);
      case COUNT -> pass(c, this::countRows, this::keepCounts);
    };
  }

  /** A pass whose batches go through the actor steps, then {@code stage}, then {@code sink} in file order. */
  private <T> Future<LoaderProtocol.Summary> pass(Cursor c, Function<Batch, Future<T>> stage,
      Function<T, Future<Void>> sink) {
    Function<Batch, Future<T>> staged = steps.none() ? stage : b -> steps.apply(refs, calls, b).compose(stage);
    return new Pass<>(c, run.window(), staged, sink, () -> cancelled, this::tell).run();
  }

  /** Scores {@code b}; its label column, when it has one, is kept for the output and not sent to the stages. */
  private Future<Scored> score(Batch b) {
    Batch rows = Splitter.prepare(b, run.splitColumn(), run.label());
    boolean hasLabel = run.label() != null && rows.has(run.label());
    Column labels = hasLabel ? rows.column(run.label()) : null;
    return Scored.of(stages, hasLabel ? rows.drop(Set.of(run.label())) : rows, labels, run.idColumn());
  }

  private Future<Void> write(Scored s) {
    s.unknown().forEach((c, n) -> unknown.merge(c, n, Long::sum));
    if (evaluation != null && s.labels() != null) {
      evaluate(s.labels(), s.predictions());
    }
    Batch out = Scoring.layout(s, info, run.writeLabel());
    if (columns.isEmpty()) {
      columns = out.columnNames();
    }
    return sink.write(out);
  }

  /**
   * The labelled training rows of {@code b}, numbered for the whole source ({@link Batches#inPiece}: the split
   * by fraction picks by position, the fit session merges the pieces in file order) — in a fold, those of the other
   * folds; counts the rows left out for want of a label.
   */
  private Future<Batch> trainingRows(Batch b) {
    long index = b.index();
    return labelledTrainingRows(b, rows -> fold == null ? rows
        : CrossValidation.inFold(rows, run.label(), fold, index, false));
  }

  /**
   * {@code then} of the labelled training rows of {@code b} (numbered for the whole source), on the worker pool;
   * counts the rows left out for want of a label.
   */
  private <T> Future<T> labelledTrainingRows(Batch b, Function<Batch, T> then) {
    Batch numbered = Batches.inPiece(b, run.piece(), training.firstRow());
    long[] left = new long[1];
    return vertx.executeBlocking(() -> {
      Batch rows = splitter.train(numbered);
      Batch labelled = Batches.withValueIn(rows, run.label());
      left[0] = rows.rowCount() - labelled.rowCount();
      return then.apply(labelled);
    }, false).map(out -> {
      unlabelled += left[0];
      return out;
    });
  }

  /** The labelled training rows of {@code b} by class (a count run): its index in the piece, and the counts. */
  private Future<Map.Entry<Long, Map<String, Long>>> countRows(Batch b) {
    long index = b.index();
    return labelledTrainingRows(b, rows -> Map.entry(index,
        CrossValidation.count(rows, run.label(), fold.stratified())));
  }

  private Future<Void> keepCounts(Map.Entry<Long, Map<String, Long>> batch) {
    counts.put(batch.getKey(), batch.getValue());
    rowsOut += batch.getValue().values().stream().mapToLong(Long::longValue).sum();
    return Future.succeededFuture();
  }

  /**
   * The features of labelled training rows, with the label column; null when there is no row. The id column the
   * preprocessor puts first is left out: a fit has no use for it, and the model's fit session would keep a string per
   * row (on W1, 8 M of them, which the collector marks again and again while the session fills the heap).
   */
  private Future<Batch> features(Batch rows) {
    Set<String> id = run.idColumn() == null ? Set.of() : Set.of(run.idColumn());
    return rows.rowCount() == 0 ? Future.succeededFuture(null)
        : stages.transform(rows).map(t -> t.features().drop(id).withColumns(List.of(rows.column(run.label()))));
  }

  private Future<Void> feed(Batch rows) {
    if (rows == null || rows.rowCount() == 0) {
      return Future.succeededFuture();
    }
    rowsOut += rows.rowCount();
    return calls.session(training.session(), () -> refs.to(training.session()).ask(rows)).mapEmpty();
  }

  /**
   * The test rows of {@code b} (every row, prepared, without a split; in a fold, its labelled training rows in the
   * fold), scored with their labels.
   */
  private Future<Scored> testRows(Batch b) {
    long index = b.index();
    Future<Batch> picked;
    if (fold != null) {
      picked = labelledTrainingRows(b, rows -> CrossValidation.inFold(rows, run.label(), fold, index, true));
    } else {
      Batch numbered = Batches.inPiece(b, run.piece(), training.firstRow());
      picked = vertx.executeBlocking(() -> splitter == null ? Splitter.prepare(numbered, null, run.label())
          : splitter.test(numbered), false);
    }
    return picked.compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null)
        : Scored.of(stages, rows, rows.column(run.label()), run.idColumn()));
  }

  private Future<Void> evaluate(Scored s) {
    if (s != null) {
      rowsOut += s.labels().size();
      evaluate(s.labels(), s.predictions());
    }
    return Future.succeededFuture();
  }

  /** Keeps the rows' labels and predictions for the report; fails TOO_LARGE past the bound on fit memory. */
  private void evaluate(Column labels, Batch predictions) {
    evaluation.add(labels, predictions);
    evaluationMemory.hold(2 * evaluation.bytes(), "evaluation", evaluation.rowCount() + evaluation.withoutLabel());
  }

  private void tell(long rows) {
    vertx.eventBus().send(run.progress(), new PieceProtocol.Progress(run.piece(), run.attempt(), node, rows).toJson());
  }

  private PieceProtocol.Done done(LoaderProtocol.Summary summary, long rows) {
    long withoutLabel = evaluation != null ? evaluation.withoutLabel() : unlabelled;
    return new PieceProtocol.Done(run.piece(), run.attempt(), node, summary, rows, columns, unknown, calls.report(),
        withoutLabel, evaluation == null ? null : evaluation.rows(), counts);
  }

  private Future<Void> abort() {
    return sink == null ? Future.succeededFuture() : sink.abort().recover(t -> Future.succeededFuture());
  }

  private Future<Void> stop() {
    calls.stop();
    evaluationMemory.release();
    return executor.close().recover(t -> Future.succeededFuture());
  }
}
