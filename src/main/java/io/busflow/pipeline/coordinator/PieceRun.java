package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.client.Scored;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.client.UserStages;
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

/**
 * One {@link PieceProtocol.Run} on the node of a {@link PieceRunner}: a {@link Pass} over a cursor opened here,
 * each batch through the actor steps and the stages (instances on this node first: {@link Refs#preferLocal}),
 * its predictions written to the piece's part file through a single-thread executor of its own. The stage
 * requests are resent when their node is lost ({@link StageCalls}, this run's own). Confined to the runner's
 * context.
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
  private final Map<String, Long> unknown = new LinkedHashMap<>();
  private final WorkerExecutor executor;
  private List<String> columns = List.of();
  private OutputSink sink;
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
    tell(0);
    return Cursor.open(refs, run.open())
        .compose(c -> openSink().onFailure(t -> c.close()).compose(v -> pass(c)))
        .compose(summary -> sink.commit().map(rows -> done(summary, rows)))
        .recover(t -> abort().transform(ar -> Future.<PieceProtocol.Done>failedFuture(t)))
        .eventually(this::stop);
  }

  private Future<Void> openSink() {
    return executor.executeBlocking(() -> options.outputRoots().resolveForWrite(run.part()), true)
        .compose(path -> OutputSink.open(executor, path, Scoring.writeOptions(info, run.decimals())
            .withHeader(run.header())))
        .map(s -> {
          sink = s;
          return null;
        });
  }

  private Future<LoaderProtocol.Summary> pass(Cursor c) {
    return new Pass<>(c, run.window(), this::stage, this::write, () -> cancelled, this::tell).run();
  }

  private Future<Scored> stage(Batch b) {
    return steps.none() ? score(b) : steps.apply(refs, calls, b).compose(this::score);
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
      evaluation.add(s.labels(), s.predictions());
    }
    Batch out = Scoring.layout(s, info, run.writeLabel());
    if (columns.isEmpty()) {
      columns = out.columnNames();
    }
    return sink.write(out);
  }

  private void tell(long rows) {
    vertx.eventBus().send(run.progress(), new PieceProtocol.Progress(run.piece(), run.attempt(), node, rows).toJson());
  }

  private PieceProtocol.Done done(LoaderProtocol.Summary summary, long rows) {
    return new PieceProtocol.Done(run.piece(), run.attempt(), node, summary, rows, columns, unknown, calls.report(),
        evaluation == null ? 0 : evaluation.withoutLabel(), evaluation == null ? null : evaluation.rows());
  }

  private Future<Void> abort() {
    return sink == null ? Future.succeededFuture() : sink.abort().recover(t -> Future.succeededFuture());
  }

  private Future<Void> stop() {
    calls.stop();
    return executor.close().recover(t -> Future.succeededFuture());
  }
}
