package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.data.ColumnType;
import io.busflow.data.Names;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.Schema;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.LabelEncoder;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.loader.ReadSpec;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the phases of one job share: its definition, references, executor, progress and columns. */
final class JobContext {

  private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);
  static final int PHASE_RESTARTS = 3;

  /**
   * The files a job writes, resolved inside the output roots; each may be null. {@code report} is written
   * when the job succeeds, {@code failedReport} when it fails ({@link PipelineDefinition#reportFile}).
   */
  record Targets(Path output, Path report, Path failedReport, Path preprocessor, Path model) {
    List<Path> all() {
      List<Path> out = new ArrayList<>();
      for (Path p : new Path[] {output, report, failedReport, preprocessor, model}) {
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }
  }

  /** What a fitted or loaded model says about its output (the {@code output} of its fit or load reply). */
  record ModelInfo(OutputSchema schema) {
    static ModelInfo of(StageProtocol.Loaded model) {
      return new ModelInfo(((StageProtocol.ModelLoaded) model).output());
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
  /** The schema of the source opened last, with the reason for each inferred type. */
  Schema lastSchema;
  /** The fit session the job is feeding or waiting on, told at once when the job is cancelled; or null. */
  private String session;

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

  /** How {@code path}, one of the job's outputs, is shown in its report: as the output roots name it. */
  String shown(Path path) {
    return options.outputRoots().display(path);
  }

  /**
   * How {@code source}, one of the job's sources, is shown in its report: as the pipeline names it, or as the
   * data roots name it when it is an absolute path (as the command line passes one).
   */
  String shownSource(String source) {
    return source == null ? null : options.dataRoots().shown(source, Path.of(source));
  }

  /** Asks the job to stop: it ends before its next batch, and the fit session it waits on stops fitting. */
  void cancel() {
    cancelled = true;
    vertx.eventBus().publish(PieceProtocol.CANCEL_ADDRESS, PieceProtocol.Cancel.job(job).toJson());
    if (session != null) {
      vertx.eventBus().send(SessionActor.cancelAddress(session), "cancel");
    }
  }

  /** Notes the fit session the job feeds now ({@code null} when none); a cancel reaches it. */
  void fitting(String sessionAddress) {
    session = sessionAddress;
    if (cancelled && sessionAddress != null) {
      cancel();
    }
  }

  /** Fails with {@link JobCancelledException} when the job was cancelled (before writing anything). */
  void requireNotCancelled() {
    if (cancelled) {
      throw new JobCancelledException();
    }
  }

  /**
   * Opens a cursor on the piece {@code range} of {@code source} (all of it when null), the id column and the
   * {@code text} columns kept as text, and the columns of {@code types} the file has with those types where
   * inference chose otherwise (a saved preprocessor's input types: a column the sample left without a value, or
   * with numbers where the preprocessor one-hot encodes codes; a boolean column stays boolean where numbers are
   * wanted, booleans counting as 1/0); checks that it has the id column, the label column when {@code needsLabel},
   * and the split column when it is the training source. It is the first piece of a partitioned read, whose
   * columns and types the other pieces are read with ({@link #pieceOpens}).
   */
  Future<Cursor> open(String source, boolean needsLabel, List<String> text, Map<String, ColumnType> types,
      ReadOptions.ByteRange range) {
    List<String> asText = new ArrayList<>(text);
    if (idColumn != null) {
      asText.add(0, idColumn);
    }
    var request = new LoaderProtocol.Open(source, def.read(), asText, true, range);
    return Cursor.open(refs, request).compose(c -> {
      ReadSpec typed = retyped(c.opened().columns(), types);
      if (typed == null) {
        return Future.succeededFuture(c);
      }
      c.close();
      return Cursor.open(refs, new LoaderProtocol.Open(source, typed, asText, true, range));
    }).compose(c -> {
      lastSchema = c.opened().schema();
      String problem = missingColumn(source, c.opened().names(), needsLabel, types.keySet());
      if (problem != null) {
        c.close();
        return Future.failedFuture(ActorException.badRequest(problem));
      }
      return Future.succeededFuture(c);
    });
  }

  /**
   * {@code t}, with the reason its type was inferred added when its message is about a feature left as text
   * (so that the user sees the value and line that made the column text).
   */
  Throwable withTypeReason(Throwable t) {
    if (!(t instanceof ActorException e) || lastSchema == null || !e.getMessage().contains("is still text")) {
      return t;
    }
    for (Schema.Field f : lastSchema.fields()) {
      String reason = lastSchema.reason(f.name());
      if (reason != null && e.getMessage().contains("feature '" + f.name() + "'")) {
        return new ActorException(e.code(), e.getMessage() + " (column '" + f.name() + "' was read as "
            + reason + "; fix that value, or declare the column in read.schema)");
      }
    }
    return t;
  }

  /** {@code def.read()} declaring the columns whose inferred type contradicts {@code types}; null when none does. */
  private ReadSpec retyped(List<Schema.Field> columns, Map<String, ColumnType> types) {
    ReadSpec spec = def.read();
    boolean changed = false;
    for (Schema.Field f : columns) {
      ColumnType want = types.get(f.name());
      boolean contradicts = want == ColumnType.STRING ? f.type() != ColumnType.STRING
          : want == ColumnType.NUMERIC && f.type() == ColumnType.STRING;
      if (contradicts && !f.name().equals(idColumn)) {
        spec = spec.declaring(f.name(), want);
        changed = true;
      }
    }
    return changed ? spec : null;
  }

  private String missingColumn(String source, List<String> names, boolean needsLabel, Set<String> inputs) {
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
    // actor steps (a user's stages) run first and may make columns the preprocessing reads
    List<String> absent = inputs.stream().filter(c -> !names.contains(c)).toList();
    if (!absent.isEmpty() && def.actorSteps().isEmpty()) {
      return "pipeline '" + def.name() + "': source '" + source + "' has no column '" + absent.get(0) + "'"
          + (absent.size() > 1 ? " (nor " + absent.subList(1, absent.size()) + ")" : "")
          + ", which the pipeline's preprocessing and model read; its columns are " + names
          + "; score a source with the columns the pipeline was trained on" + Names.hint(absent.get(0), names);
    }
    return null;
  }

  private String missing(String source, List<String> names, String what) {
    return "pipeline '" + def.name() + "': source '" + source + "' has no " + what + "; its columns are "
        + names + "; fix the pipeline file or the source";
  }

  /**
   * Learns the rows of each source the job reads after its first, so the progress total is right from the
   * start (a separate test or scoring file): a cursor opened and closed at once, the loader counting its rows
   * from the file's first MiB. Never fails: a failure is left to the pass that reads the source.
   */
  Future<Void> estimateLaterSources() {
    List<String> sources = progress.sources();
    List<Future<?>> asked = sources.stream().skip(1).distinct().filter(s -> !s.equals(sources.get(0)))
        .map(source -> Cursor.open(refs, new LoaderProtocol.Open(source, def.read(), List.of(), true))
            .map(c -> {
              c.close();
              progress.estimate(source, c.opened().rowsEstimate());
              return (Void) null;
            })
            .otherwiseEmpty())
        .collect(java.util.stream.Collectors.toList());
    return Future.all(asked).mapEmpty();
  }

  /** The request that opens a later piece {@code range} of {@code source} with the columns of its first, {@code first}. */
  LoaderProtocol.Open pieceRequest(String source, LoaderProtocol.Opened first, ReadOptions.ByteRange range) {
    return new LoaderProtocol.Open(source, def.read().forPiece(first.columns()), List.of(), false, range);
  }

  /** The cursor requests of the pieces of a source, and what opening its first piece said (columns, row estimate). */
  record PieceOpens(LoaderProtocol.Opened first, List<LoaderProtocol.Open> opens) {}

  /**
   * The cursor requests that piece runners open the pieces {@code ranges} of {@code source} with (a single null:
   * the whole file). The first piece is opened here first ({@link #open}: checking its columns and learning their
   * types) and closed; the runners read the first piece with the same request and the others with its columns and
   * types.
   */
  Future<PieceOpens> pieceOpens(String source, boolean needsLabel, List<String> text, Map<String, ColumnType> types,
      List<ReadOptions.ByteRange> ranges) {
    return open(source, needsLabel, text, types, ranges.get(0)).map(first -> {
      first.close();
      List<LoaderProtocol.Open> opens = new ArrayList<>();
      LoaderProtocol.Open o = first.request();
      opens.add(new LoaderProtocol.Open(o.source(), o.read(), o.text(), false, o.range()));
      ranges.subList(1, ranges.size()).forEach(r -> opens.add(pieceRequest(source, first.opened(), r)));
      return new PieceOpens(first.opened(), opens);
    });
  }

  /**
   * The exact pieces of {@code source} for {@code partitions} cursors ({@link LoaderProtocol.Plan}); one piece
   * when the source is below the pipeline's {@code partitionMinBytes}.
   */
  Future<List<ReadOptions.ByteRange>> plan(String source, int partitions) {
    var request = new LoaderProtocol.Plan(source, def.read(), partitions, def.partitionMinBytes());
    return refs.to(LoaderProtocol.ADDRESS).<JsonObject>ask(request.toJson())
        .map(j -> LoaderProtocol.Planned.fromJson(j).ranges());
  }

  /**
   * An idempotent JSON request to a stage, resent when the instance asked is lost ({@link StageCalls#ask}); its
   * reply is read once into a record by {@code reply}.
   */
  <R> Future<R> ask(String stage, JsonObject message, Function<JsonObject, R> reply) {
    ActorRef ref = refs.to(stage);
    return calls.ask(stage, () -> ref.<JsonObject>ask(message).map(reply));
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
}
