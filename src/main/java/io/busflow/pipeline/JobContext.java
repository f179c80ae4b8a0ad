package io.busflow.pipeline;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.data.Batch;
import io.busflow.data.model.OutputSchema;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.internal.StageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the phases of one job share: its definition, references, executor, progress and columns. */
final class JobContext {

  private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);
  static final int PHASE_RESTARTS = 3;

  /** The files a job writes, resolved inside the output roots; each may be null. */
  record Targets(Path output, Path report, Path preprocessor, Path model) {
    List<Path> all() {
      List<Path> out = new ArrayList<>();
      for (Path p : new Path[] {output, report, preprocessor, model}) {
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }
  }

  /** What a fitted or loaded model says about its output (the {@code output} of its fit or load reply). */
  record ModelInfo(OutputSchema schema) {
    static ModelInfo of(JsonObject reply) {
      JsonObject o = reply.getJsonObject("output");
      List<Object> classes = new ArrayList<>();
      o.getJsonArray("classes").forEach(c -> classes.add(c instanceof Number n ? (Object) n.doubleValue() : c));
      List<String> probabilities = new ArrayList<>();
      o.getJsonArray("probabilities").forEach(c -> probabilities.add((String) c));
      return new ModelInfo(new OutputSchema(o.getString("prediction"), classes, probabilities, o.getString("positive")));
    }

    boolean classifier() {
      return schema.classifier();
    }

    /** The probability column of the positive class of a binary classifier, else null. */
    String positiveColumn() {
      return schema.positive();
    }
  }

  final Vertx vertx;
  final String job;
  final PipelineDefinition def;
  final Refs refs;
  final StageOptions options;
  final Targets targets;
  final WorkerExecutor executor;
  final Progress progress;
  final Splitter splitter;
  final StageCalls calls;
  String idColumn;
  String label;
  volatile boolean cancelled;

  JobContext(Vertx vertx, String job, PipelineDefinition def, Refs refs, StageOptions options, Targets targets,
      Progress progress) {
    this.vertx = vertx;
    this.job = job;
    this.def = def;
    this.refs = refs;
    this.options = options;
    this.targets = targets;
    this.executor = vertx.createSharedWorkerExecutor("busflow-job-" + job, 1);
    this.progress = progress;
    this.splitter = new Splitter(def.split(), def.label());
    this.calls = new StageCalls(vertx, def.name(), def.stageWaitMs(), () -> cancelled);
    this.idColumn = def.id();
    this.label = def.label();
  }

  /**
   * Opens a cursor on {@code source}, the id column kept as text, and checks that it has the id column,
   * the label column when {@code needsLabel}, and the split column when it is the training source.
   */
  Future<Cursor> open(String source, boolean needsLabel) {
    var request = new LoaderProtocol.Open(source, def.read(), idColumn == null ? List.of() : List.of(idColumn), true);
    return Cursor.open(refs, request).compose(c -> {
      String problem = missingColumn(source, c.opened().names(), needsLabel);
      if (problem != null) {
        c.close();
        return Future.failedFuture(ActorException.badRequest(problem));
      }
      return Future.succeededFuture(c);
    });
  }

  private String missingColumn(String source, List<String> names, boolean needsLabel) {
    if (needsLabel && !names.contains(label)) {
      return missing(source, names, "label column '" + label + "' (key 'label')");
    }
    if (idColumn != null && !names.contains(idColumn)) {
      return missing(source, names, "id column '" + idColumn + "' (key 'id')");
    }
    if (def.split() instanceof PipelineDefinition.ByColumn s && source.equals(def.source())
        && !names.contains(s.column())) {
      return missing(source, names, "split column '" + s.column() + "' (key 'split.column')");
    }
    return null;
  }

  private String missing(String source, List<String> names, String what) {
    return "pipeline '" + def.name() + "': source '" + source + "' has no " + what + "; its columns are "
        + names + "; fix the pipeline file or the source";
  }

  /** Opens {@code source} and runs one pass over it as phase {@code phase}. */
  <T> Future<LoaderProtocol.Summary> pass(String phase, String source, boolean needsLabel,
      Function<Batch, Future<T>> stage, Function<T, Future<Void>> sink) {
    return open(source, needsLabel).compose(c -> pass(phase, c, stage, sink));
  }

  /** One pass over an open cursor as phase {@code phase}. */
  <T> Future<LoaderProtocol.Summary> pass(String phase, Cursor c, Function<Batch, Future<T>> stage,
      Function<T, Future<Void>> sink) {
    progress.pass(phase, c.opened().rowsEstimate());
    return new Pass<>(c, def.batchesInFlight(), stage, sink, () -> cancelled, progress::rowsRead).run();
  }

  /** An idempotent JSON request to a stage, resent when the instance asked is lost ({@link StageCalls#ask}). */
  Future<JsonObject> ask(String stage, Object message) {
    ActorRef ref = refs.to(stage);
    return calls.ask(stage, () -> ref.ask(message));
  }

  /**
   * Runs {@code phase} again from its start when it fails because a session it fed was lost (its node left),
   * at most {@value #PHASE_RESTARTS} times.
   */
  <T> Future<T> restartable(String phase, Supplier<Future<T>> run) {
    return restartable(phase, run, PHASE_RESTARTS);
  }

  private <T> Future<T> restartable(String phase, Supplier<Future<T>> run, int left) {
    return run.get().recover(t -> {
      if (t instanceof StageCalls.SessionLost && left > 0 && !cancelled) {
        LOG.info("job '{}': phase '{}' starts again: {}", job, phase, t.getMessage());
        calls.passRestarted();
        return restartable(phase, run, left - 1);
      }
      return Future.failedFuture(t);
    });
  }

  /** The rows of {@code batch} that have a label; the others are counted in {@code unlabelled}. */
  Batch labelled(Batch batch, long[] unlabelled) {
    var col = batch.column(label);
    int[] keep = new int[batch.rowCount()];
    int n = 0;
    for (int i = 0; i < keep.length; i++) {
      if (!col.isMissing(i)) {
        keep[n++] = i;
      }
    }
    if (unlabelled != null) {
      unlabelled[0] += keep.length - n;
    }
    return n == keep.length ? batch : batch.selectRows(java.util.Arrays.copyOf(keep, n));
  }
}
