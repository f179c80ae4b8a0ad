package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.io.DataRoots;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.WriteOptions;
import io.busflow.pipeline.client.SavedStates;
import io.busflow.pipeline.client.Scored;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring phase of a job: the scoring source scored by piece runners ({@link PieceRuns}), as one piece or, with
 * {@code partitions}, as exact pieces at once, each into its own part ({@link PartSinks}), published in input
 * order on success. The rows never pass through here: the runners answer with their counts, and with
 * {@code score.evaluate} and a source that has the label column the rows' labels and predictions, evaluated here.
 * In score mode the saved preprocessor and model are loaded first and checked against each other. Confined to the
 * coordinator's context.
 */
final class Scoring {

  private final JobContext ctx;
  /** The scoring part of the job report, as far as the phase got (see {@link JobReport.Scoring}). */
  private JobReport.FittedPreprocessor loadedPreprocessor;
  private JobReport.FittedModel loadedModel;
  private Integer partitions;
  private JsonObject source;
  private Long rowsWritten;
  private Map<String, Long> unknownLevels;
  private String output;
  private JsonObject evaluationReport;
  private PartSinks parts;

  Scoring(JobContext ctx) {
    this.ctx = ctx;
  }

  JobReport.Scoring report() {
    return new JobReport.Scoring(loadedPreprocessor, loadedModel, partitions, source, rowsWritten, unknownLevels,
        output, evaluationReport);
  }

  /** Deletes the parts, if any were started; never fails. */
  Future<Void> abort() {
    return parts == null ? Future.succeededFuture() : parts.abort();
  }

  /**
   * Loads the saved model named by the pipeline, then its preprocessor (score mode): the saved one, or
   * without {@code preprocessing.path} one that passes the model's features through.
   */
  Future<Training.Result> load() {
    return ctx.executor.executeBlocking(this::readStates, true).compose(states ->
        ctx.ask(StageProtocol.MODEL_ADDRESS, SavedStates.loadRequest(states[1]), SavedStates.loadReply(StageProtocol.Kind.MODEL))
            .compose(model -> {
              states[0] = states[0] != null ? states[0] : SavedStates.passthrough(ctx.def, model);
              return ctx.ask(StageProtocol.PREPROCESS_ADDRESS, SavedStates.loadRequest(states[0]),
                  SavedStates.loadReply(StageProtocol.Kind.PREPROCESSOR)).map(pre -> loaded(states, pre, model));
            }));
  }

  private JsonObject[] readStates() throws java.io.IOException {
    DataRoots roots = ctx.options.artifactRoots();
    String pre = ctx.def.preprocessorPath();
    var bound = new WholeFiles.Bound(ctx.options.storeBytes(), "a node's store of states holds",
        "actors.<name>.options.storeBytes");
    return new JsonObject[] {pre == null ? null
        : SavedStates.readState(roots, ctx.def.name(), pre, "preprocessing.path", bound),
        SavedStates.modelState(roots, ctx.def, bound)};
  }

  private Training.Result loaded(JsonObject[] states, StageProtocol.Loaded loadedPre, StageProtocol.Loaded model) {
    var pre = (StageProtocol.PreprocessorLoaded) loadedPre;
    String mismatch = SavedStates.featureMismatch(ctx.def, pre.features(), model.features());
    if (mismatch != null) {
      throw ActorException.badRequest(mismatch);
    }
    ctx.idColumn = pre.idColumn();
    ctx.label = ctx.label != null ? ctx.label : pre.labelColumn();
    loadedPreprocessor = new JobReport.FittedPreprocessor(pre.id(), null, ctx.def.preprocessorPath());
    loadedModel = JobReport.FittedModel.loaded(model.id(), ctx.def.modelPath());
    var fitted = StageClient.Fitted.of(pre, states[0].encode(), model, states[1].encode());
    return new Training.Result(new StageClient(ctx.refs, ctx.calls, fitted), JobContext.ModelInfo.of(model),
        Training.Result.types(pre.inputs()));
  }

  /**
   * Scores the scoring source into the output: as one piece, or with {@code partitions} above 1 (and a source
   * of at least {@code partitionMinBytes}) in exact pieces read, scored and written in parallel; with
   * {@code output.parts} as a directory of parts. Every piece runs on a piece runner beside the loader
   * ({@link PieceRuns}): the rows never pass through the coordinator.
   */
  Future<Void> run(Training.Result fitted) {
    String source = ctx.def.scoringSource();
    int wanted = ctx.def.partitionsFor(Runtime.getRuntime().availableProcessors());
    Future<List<ReadOptions.ByteRange>> planned = wanted <= 1 ? Future.succeededFuture(List.of())
        : ctx.plan(source, wanted);
    return planned.compose(ranges -> runPieces(fitted, source,
        ranges.size() <= 1 ? Collections.singletonList(null) : ranges));
  }

  /** A label that is not evaluated is copied to the output verbatim: read as text, it is never a bad row. */
  private List<String> copiedText(boolean evaluates) {
    return !evaluates && ctx.label != null ? List.of(ctx.label) : List.of();
  }

  /**
   * Scores the pieces {@code ranges} of the source (a single null: the whole file) at once, each on a piece
   * runner into its own part of the output; the parts are published together in input order
   * ({@link JobContext#pieceOpens}).
   */
  private Future<Void> runPieces(Training.Result fitted, String source, List<ReadOptions.ByteRange> ranges) {
    boolean evaluates = ctx.def.scoreEvaluates() && ctx.label != null;
    return ctx.pieceOpens(source, false, copiedText(evaluates), fitted.inputTypes(), ranges).compose(pieces -> {
      ctx.progress.pass("score", pieces.first().rowsEstimate());
      boolean labelled = evaluates && pieces.first().names().contains(ctx.label);
      return PartSinks.open(ctx, ctx.targets.output(), ctx.def.output().parts(),
              writeOptions(fitted.info(), ctx.def.output().decimals()))
          .compose(p -> {
            parts = p;
            return runOn(fitted, pieces.opens(), labelled);
          })
          .compose(done -> {
            ctx.requireNotCancelled();
            partitions = ranges.size();
            return parts.commit(done).map(rows -> done(source, done, rows, labelled ? Evaluation.of(fitted.info().schema(), done) : null));
          });
    });
  }

  private Future<List<PieceProtocol.Done>> runOn(Training.Result fitted, List<LoaderProtocol.Open> opens,
      boolean labelled) {
    var artifacts = PieceRuns.artifacts(fitted.stages().fitted());
    PieceRuns runs = new PieceRuns(ctx, (piece, attempt, progress) -> new PieceProtocol.Run(ctx.job, ctx.def.name(),
        piece, attempt, opens.get(piece), ctx.def.actorSteps(), ctx.splitter.column(), ctx.label, ctx.idColumn,
        artifacts, fitted.info().schema(), labelled, ctx.def.output().label(), parts.part(piece, attempt),
        parts.header(piece), ctx.def.output().decimals(), ctx.def.batchesInFlight(), ctx.def.stageTimeoutMs(),
        ctx.def.stageWaitMs(), ctx.refs.correlationId(), progress, null));
    return runs.run(opens.size()).onSuccess(done -> done.forEach(d -> ctx.calls.add(d.batches())));
  }

  /**
   * What is written per row: the id column when there is one, the label column when the source has it (so
   * that predictions can be compared without a join; not with {@code output.label: false}), then for a binary classifier {@code probability} (of
   * the greater class) and {@code prediction}, for more classes {@code prediction} and one {@code p_<class>}
   * per class, for regression {@code prediction}.
   */
  static Batch layout(Scored s, JobContext.ModelInfo info, boolean writeLabel) {
    Batch p = s.predictions();
    List<Column> cols = new ArrayList<>();
    String prediction = info.schema().prediction();
    List<Column> outputs = new ArrayList<>();
    for (Column c : p.columns()) {
      boolean predicted = c.name().equals(prediction) || info.schema().probabilities().contains(c.name());
      (predicted ? outputs : cols).add(c);
    }
    if (s.labels() != null && writeLabel) {
      cols.add(s.labels());
    }
    if (info.positiveColumn() == null) {
      cols.addAll(outputs);
    } else {
      cols.add(p.column(info.positiveColumn()).renamed("probability"));
      cols.add(p.column(prediction));
    }
    return p.withOnly(cols);
  }

  /** How the predictions of a model whose output is {@code info} are written: probabilities with {@code d} decimals. */
  static WriteOptions writeOptions(JobContext.ModelInfo info, int d) {
    WriteOptions o = WriteOptions.defaults().withDecimals("probability", d);
    for (String c : info.schema().probabilities()) {
      o = o.withDecimals(c, d);
    }
    return o;
  }

  private Void done(String source, List<PieceProtocol.Done> done, long rows, Evaluation ev) {
    Map<String, Long> unknown = new LinkedHashMap<>();
    done.forEach(d -> d.unknownLevels().forEach((c, n) -> unknown.merge(c, n, Long::sum)));
    LoaderProtocol.Summary summary = LoaderProtocol.Summary.merged(source,
        done.stream().map(PieceProtocol.Done::summary).toList());
    this.source = summary.toJson().put("source", ctx.shownSource(source));
    rowsWritten = rows;
    unknownLevels = unknown;
    output = ctx.shown(ctx.targets.output());
    if (ev != null) {
      evaluationReport = ev.report();
    }
    return null;
  }
}
