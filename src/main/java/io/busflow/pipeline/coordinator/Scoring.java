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
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scoring phase of a job: one pass over the scoring source through the preprocessor and the model,
 * predictions written in input order to a temporary file renamed onto the output on success; or, with
 * {@code partitions}, one pass per exact piece of the source at once, each writing its own part
 * ({@link PartSinks}). With
 * {@code score.evaluate} and a source that has the label column, the predictions are evaluated too. In score mode the saved preprocessor
 * and model are loaded first and checked against each other. Confined to the coordinator's context.
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
  private final Map<String, Long> unknown = new LinkedHashMap<>();
  private OutputSink sink;
  private PartSinks parts;
  /** The evaluation of a partitioned pass, merged from its pieces; null otherwise. */
  private Evaluation evaluation;

  Scoring(JobContext ctx) {
    this.ctx = ctx;
  }

  JobReport.Scoring report() {
    return new JobReport.Scoring(loadedPreprocessor, loadedModel, partitions, source, rowsWritten, unknownLevels,
        output, evaluationReport);
  }

  /** Deletes the temporary output file or parts, if any were started; never fails. */
  Future<Void> abort() {
    if (parts != null) {
      return parts.abort();
    }
    return sink == null ? Future.succeededFuture() : sink.abort().recover(t -> Future.succeededFuture());
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
    return new JsonObject[] {pre == null ? null : SavedStates.readState(roots, ctx.def.name(), pre, "preprocessing.path"),
        SavedStates.modelState(roots, ctx.def)};
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
   * Scores the scoring source into the output: front to back, or with {@code partitions} above 1 (and a
   * source of at least {@code partitionMinBytes}) in exact pieces read, scored and written in parallel
   * ({@link #runPieces}); with {@code output.parts} always as a directory of parts.
   */
  Future<Void> run(Training.Result fitted) {
    String source = ctx.def.scoringSource();
    int wanted = ctx.def.partitionsFor(Runtime.getRuntime().availableProcessors());
    boolean directory = ctx.def.output().parts();
    if (wanted <= 1 && !directory) {
      return runWhole(fitted, source);
    }
    Future<List<ReadOptions.ByteRange>> planned = wanted <= 1 ? Future.succeededFuture(List.of())
        : ctx.plan(source, wanted);
    return planned.compose(ranges -> ranges.size() <= 1 && !directory ? runWhole(fitted, source)
        : runPieces(fitted, source, ranges.size() <= 1 ? Collections.singletonList(null) : ranges));
  }

  private Future<Void> runWhole(Training.Result fitted, String source) {
    boolean evaluates = ctx.def.scoreEvaluates() && ctx.label != null;
    return ctx.open(source, false, copiedText(evaluates), fitted.inputTypes()).compose(c -> {
      boolean labelled = evaluates && c.opened().names().contains(ctx.label);
      Evaluation ev = labelled ? new Evaluation(fitted.info().schema()) : null;
      return OutputSink.open(ctx.executor, ctx.targets.output(), writeOptions(fitted.info()))
          .onFailure(t -> c.close())
          .compose(s -> {
            sink = s;
            return ctx.pass("score", c, b -> score(fitted, b, labelled), r -> take(r, ev, fitted.info()));
          })
          .compose(summary -> {
            ctx.requireNotCancelled();
            partitions = 1;
            return sink.commit().map(rows -> done(source, summary, rows, ev));
          });
    });
  }

  /** A label that is not evaluated is copied to the output verbatim: read as text, it is never a bad row. */
  private List<String> copiedText(boolean evaluates) {
    return !evaluates && ctx.label != null ? List.of(ctx.label) : List.of();
  }

  /**
   * Scores the pieces {@code ranges} of the source (a single null: the whole file) at once, each through its
   * own cursor, the stages and its own part of the output; the parts are published together in input order.
   * The first piece is opened first: the others are read with its columns and types.
   */
  private Future<Void> runPieces(Training.Result fitted, String source, List<ReadOptions.ByteRange> ranges) {
    boolean evaluates = ctx.def.scoreEvaluates() && ctx.label != null;
    return ctx.openPieces(source, false, copiedText(evaluates), fitted.inputTypes(), ranges)
        .compose(cursors -> PartSinks.open(ctx, ctx.targets.output(), ctx.def.output().parts(),
                writeOptions(fitted.info()), cursors.size())
            .onFailure(t -> cursors.forEach(Cursor::close))
            .compose(p -> {
              parts = p;
              boolean labelled = evaluates && cursors.get(0).opened().names().contains(ctx.label);
              return new Pieces(fitted, cursors, labelled).run();
            })
            .compose(summary -> {
              ctx.requireNotCancelled();
              partitions = ranges.size();
              return parts.commit().map(rows -> done(source, summary, rows, evaluation));
            }));
  }

  /**
   * The passes over the pieces, one per cursor, at once ({@link JobContext#piecePasses}). Evaluation and unknown
   * levels are kept per piece and merged in input order.
   */
  private final class Pieces {
    private final Training.Result fitted;
    private final List<Cursor> cursors;
    private final boolean labelled;
    private final Evaluation[] evaluations;
    private final List<Map<String, Long>> unknowns = new ArrayList<>();

    Pieces(Training.Result fitted, List<Cursor> cursors, boolean labelled) {
      this.fitted = fitted;
      this.cursors = cursors;
      this.labelled = labelled;
      this.evaluations = new Evaluation[cursors.size()];
      for (int p = 0; p < cursors.size(); p++) {
        evaluations[p] = labelled ? new Evaluation(fitted.info().schema()) : null;
        unknowns.add(new LinkedHashMap<>());
      }
    }

    Future<LoaderProtocol.Summary> run() {
      return ctx.<Scored>piecePasses("score", cursors, p -> b -> score(fitted, b, labelled),
          p -> s -> takePart(p, s, unknowns.get(p))).map(this::merged);
    }

    private Future<Void> takePart(int p, Scored s, Map<String, Long> unknown) {
      s.unknown().forEach((c, n) -> unknown.merge(c, n, Long::sum));
      if (evaluations[p] != null) {
        evaluations[p].add(s.labels(), s.predictions());
      }
      return parts.write(p, layout(s, fitted.info()));
    }

    private LoaderProtocol.Summary merged(List<LoaderProtocol.Summary> pieces) {
      unknowns.forEach(u -> u.forEach((c, n) -> unknown.merge(c, n, Long::sum)));
      if (labelled) {
        evaluation = new Evaluation(fitted.info().schema());
        for (Evaluation e : evaluations) {
          evaluation.addAll(e);
        }
      }
      return LoaderProtocol.Summary.merged(ctx.def.scoringSource(), pieces);
    }
  }

  /** Scores {@code b}; its label column, when it has one, is kept for the output and not sent to the stages. */
  private Future<Scored> score(Training.Result fitted, Batch b, boolean labelled) {
    Batch rows = ctx.splitter.prepare(b);
    boolean hasLabel = ctx.label != null && rows.has(ctx.label);
    Column labels = hasLabel ? rows.column(ctx.label) : null;
    return Scored.of(fitted.stages(), hasLabel ? rows.drop(Set.of(ctx.label)) : rows, labels, ctx.idColumn);
  }

  private Future<Void> take(Scored s, Evaluation ev, JobContext.ModelInfo info) {
    s.unknown().forEach((c, n) -> unknown.merge(c, n, Long::sum));
    if (ev != null) {
      ev.add(s.labels(), s.predictions());
    }
    return sink.write(layout(s, info));
  }

  /**
   * What is written per row: the id column when there is one, the label column when the source has it (so
   * that predictions can be compared without a join; not with {@code output.label: false}), then for a binary classifier {@code probability} (of
   * the greater class) and {@code prediction}, for more classes {@code prediction} and one {@code p_<class>}
   * per class, for regression {@code prediction}.
   */
  private Batch layout(Scored s, JobContext.ModelInfo info) {
    Batch p = s.predictions();
    List<Column> cols = new ArrayList<>();
    String prediction = info.schema().prediction();
    List<Column> outputs = new ArrayList<>();
    for (Column c : p.columns()) {
      boolean predicted = c.name().equals(prediction) || info.schema().probabilities().contains(c.name());
      (predicted ? outputs : cols).add(c);
    }
    if (s.labels() != null && ctx.def.output().label()) {
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

  private WriteOptions writeOptions(JobContext.ModelInfo info) {
    int d = ctx.def.output().decimals();
    WriteOptions o = WriteOptions.defaults().withDecimals("probability", d);
    for (String c : info.schema().probabilities()) {
      o = o.withDecimals(c, d);
    }
    return o;
  }

  private Void done(String source, LoaderProtocol.Summary summary, long rows, Evaluation ev) {
    this.source = summary.toJson().put("source", source);
    rowsWritten = rows;
    unknownLevels = new LinkedHashMap<>(unknown);
    output = ctx.shown(ctx.targets.output());
    if (ev != null) {
      evaluationReport = ev.report();
    }
    return null;
  }
}
