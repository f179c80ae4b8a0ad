package io.busflow.pipeline.protocol;

import io.busflow.actor.ActorException;
import io.busflow.actor.BinaryCodec;
import io.busflow.actor.Envelope;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.model.OutputSchema;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.Requests;
import io.busflow.pipeline.internal.Wire;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the job coordinator and the piece runners at {@link #ADDRESS} say to each other: the coordinator keeps
 * the rows of its passes off its own node by asking a runner — deployed beside the loader, one per node that
 * reads sources — to {@link Run} one piece of the source (README, "Partitions"). The runner answers the request at
 * once with {@link Started} (naming its node, which the coordinator watches), then opens the cursor, sends every
 * batch through the pipeline's actor steps, the preprocessor and the model (instances on its own node first),
 * writes the predictions into the piece's part file, and tells the run's {@link Run#progress} address the outcome:
 * one small {@link Done}, or a {@link Failed}. While it runs it tells the same address a {@link Progress} per batch
 * read. So no reply waits on a run however long it takes, and a run given up (its node left) leaves nothing
 * pending behind it: a late outcome is dropped. A {@link Cancel} published at {@link #CANCEL_ADDRESS} stops runs
 * before their next batch. A run with a {@link Training} task carries a training pass instead: it picks the
 * piece's training (or test) rows by the pipeline's split — or by a cross-validation {@link Fold} — and sends
 * them to a fit session, or scores its test rows for the evaluation, or counts them, and writes no part. Across the cluster the records travel as a JSON head (and
 * {@link Done}'s evaluated rows in {@link io.busflow.data.BatchSerde}'s form); in one JVM as they are.
 */
public final class PieceProtocol {

  /** The runners' public address. */
  public static final String ADDRESS = "busflow.runner";
  /** Where {@link Cancel}s are published; every runner listens. */
  public static final String CANCEL_ADDRESS = "busflow.runner.cancel";

  private PieceProtocol() {}

  /**
   * The fitted preprocessor and model, by reference: their ids and the cluster nodes whose stores have them (null
   * on one node), with their states as JSON text for a stage node that can get them from neither.
   */
  public record Artifacts(String preprocessor, String preprocessorFrom, String preprocessorState, String model,
                          String modelFrom, String modelState) {
    JsonObject toJson() {
      return new JsonObject().put("preprocessor", preprocessor).put("preprocessorFrom", preprocessorFrom)
          .put("preprocessorState", preprocessorState).put("model", model).put("modelFrom", modelFrom)
          .put("modelState", modelState);
    }

    static Artifacts fromJson(JsonObject j) {
      return new Artifacts(j.getString("preprocessor"), j.getString("preprocessorFrom"),
          j.getString("preprocessorState"), j.getString("model"), j.getString("modelFrom"), j.getString("modelState"));
    }
  }

  /** What a training run does with the rows of its piece. */
  public enum Task {
    /** Send the labelled training rows to the fit session (the preprocessing's fit). */
    FIT_ROWS,
    /** Send the features of the labelled training rows, with the label, to the fit session (the model's fit). */
    FIT_FEATURES,
    /** Score the test rows (every row with no split) and send back their labels and predictions. */
    EVALUATE,
    /**
     * Count the labelled training rows of each batch, by class when the {@link Fold} is stratified, and send the
     * counts back ({@link Done#counts}): the first pass of cross-validation, which numbers the rows of each fold.
     */
    COUNT
  }

  /**
   * The rule of a cross-validation fold: the j-th labelled training row of the source (0-based, file order; of its
   * class when {@code stratified}) is in fold {@code j % folds}. A fit run takes the rows of the other folds, an
   * evaluation run the rows of fold {@code fold}; {@code before} gives, for each batch of the piece (by its index
   * in the piece), how many rows of each class ({@code ""} for all, unstratified) come before it in the source, so
   * that every row's j is known whatever order the batches are processed in. A {@link Task#COUNT} run reads only
   * {@code stratified}.
   */
  public record Fold(int folds, int fold, boolean stratified, Map<Long, Map<String, Long>> before) {
    public Fold {
      before = Collections.unmodifiableMap(new LinkedHashMap<>(before));
    }

    JsonObject toJson() {
      return new JsonObject().put("folds", folds).put("fold", fold).put("stratified", stratified)
          .put("before", countsJson(before));
    }

    static Fold fromJson(JsonObject j) {
      return j == null ? null : new Fold(j.getInteger("folds"), j.getInteger("fold"), j.getBoolean("stratified"),
          counts(j.getJsonObject("before")));
    }
  }

  /** {@code counts} (batch index → class → rows) as JSON. */
  private static JsonObject countsJson(Map<Long, Map<String, Long>> counts) {
    JsonObject out = new JsonObject();
    counts.forEach((batch, byClass) -> out.put(Long.toString(batch), new JsonObject(new LinkedHashMap<>(byClass))));
    return out;
  }

  private static Map<Long, Map<String, Long>> counts(JsonObject j) {
    Map<Long, Map<String, Long>> out = new LinkedHashMap<>();
    j.forEach(e -> {
      Map<String, Long> byClass = new LinkedHashMap<>();
      ((JsonObject) e.getValue()).forEach(c -> byClass.put(c.getKey(), ((Number) c.getValue()).longValue()));
      out.put(Long.parseLong(e.getKey()), byClass);
    });
    return out;
  }

  /**
   * The training part of a {@link Run}: instead of writing a part, the run picks rows by {@code split} and does
   * {@code task} with them.
   *
   * @param task     what is done with the picked rows
   * @param session  the fit session the rows go to ({@code FIT_*}), or null
   * @param split    the pipeline's split; null when every row of the piece is a test row (a separate test source)
   * @param firstRow the rows of the source before the piece: a split by fraction picks by position in the source
   * @param fold     a cross-validation fold: the rows are picked among the split's labelled training rows by its
   *                 rule; null otherwise (required by {@link Task#COUNT})
   */
  public record Training(Task task, String session, PipelineDefinition.Split split, long firstRow, Fold fold) {
    JsonObject toJson() {
      return new JsonObject().put("task", task.name()).put("session", session).put("split", splitJson(split))
          .put("firstRow", firstRow).put("fold", fold == null ? null : fold.toJson());
    }

    static Training fromJson(JsonObject j) {
      return j == null ? null : new Training(Task.valueOf(j.getString("task")), j.getString("session"),
          split(j.getJsonObject("split")), j.getLong("firstRow"), Fold.fromJson(j.getJsonObject("fold")));
    }

    private static JsonObject splitJson(PipelineDefinition.Split s) {
      if (s instanceof PipelineDefinition.Fraction f) {
        return new JsonObject().put("test", f.test()).put("seed", f.seed());
      }
      if (s instanceof PipelineDefinition.ByColumn c) {
        return new JsonObject().put("column", c.column()).put("testValue", c.testValue());
      }
      return s instanceof PipelineDefinition.TestSource t ? new JsonObject().put("testSource", t.source()) : null;
    }

    private static PipelineDefinition.Split split(JsonObject j) {
      if (j == null) {
        return null;
      }
      if (j.containsKey("column")) {
        return new PipelineDefinition.ByColumn(j.getString("column"), j.getString("testValue"));
      }
      return j.containsKey("testSource") ? new PipelineDefinition.TestSource(j.getString("testSource"))
          : new PipelineDefinition.Fraction(j.getDouble("test"), j.getLong("seed"));
    }
  }

  /**
   * Score one piece of a source into one part file, or, with {@code training}, do a training task with its rows.
   *
   * @param job            the job's id (a {@link Cancel} names it)
   * @param pipeline       the pipeline's name, for messages
   * @param piece          the piece's index in file order
   * @param attempt        0, then 1, 2, … when the piece is run again elsewhere; each attempt has its own part
   * @param open           the cursor to open at the loader (the piece's byte range, its read options)
   * @param steps          the user's actor steps applied first to every batch as read
   * @param splitColumn    a column to drop before the stages (a split by column), or null
   * @param label          the label column: kept out of the stages, written (with {@code writeLabel}) and
   *                       evaluated (with {@code evaluate}); null when none
   * @param idColumn       the id column written first, or null
   * @param output         what the model's predictions look like (null when the run fits)
   * @param part           the part file, a path inside the runner node's output roots (its directory exists);
   *                       null for a training run
   * @param header         whether the part starts with a header line
   * @param decimals       decimals of the probability columns
   * @param window         batches in flight at most between the cursor and the part file
   * @param correlationId  stamped on every request of the run
   * @param progress       where the run tells its {@link Progress}
   * @param training       the training task, or null for a scoring run
   */
  public record Run(String job, String pipeline, int piece, int attempt, LoaderProtocol.Open open,
                    List<ActorStep> steps, String splitColumn, String label, String idColumn, Artifacts artifacts,
                    OutputSchema output, boolean evaluate, boolean writeLabel, String part, boolean header,
                    int decimals, int window, long stageTimeoutMs, long stageWaitMs, String correlationId,
                    String progress, Training training) {
    public Run {
      steps = List.copyOf(steps);
    }

    public JsonObject toJson() {
      JsonArray s = new JsonArray();
      steps.forEach(a -> s.add(new JsonObject().put("position", a.position()).put("address", a.address())));
      return new JsonObject().put("job", job).put("pipeline", pipeline).put("piece", piece).put("attempt", attempt)
          .put("open", open.toJson()).put("steps", s).put("splitColumn", splitColumn).put("label", label)
          .put("idColumn", idColumn).put("artifacts", artifacts.toJson())
          .put("output", output == null ? null : JsonShapes.toJson(output.toMap())).put("evaluate", evaluate).put("writeLabel", writeLabel)
          .put("part", part).put("header", header).put("decimals", decimals).put("window", window)
          .put("stageTimeoutMs", stageTimeoutMs).put("stageWaitMs", stageWaitMs)
          .put("correlationId", correlationId).put("progress", progress)
          .put("training", training == null ? null : training.toJson());
    }

    public static Run fromJson(JsonObject j) {
      List<ActorStep> steps = new ArrayList<>();
      j.getJsonArray("steps").forEach(o -> steps.add(new ActorStep(((JsonObject) o).getInteger("position"),
          ((JsonObject) o).getString("address"))));
      return new Run(j.getString("job"), j.getString("pipeline"), j.getInteger("piece"), j.getInteger("attempt"),
          LoaderProtocol.Open.fromJson(j.getJsonObject("open")), steps, j.getString("splitColumn"),
          j.getString("label"), j.getString("idColumn"), Artifacts.fromJson(j.getJsonObject("artifacts")),
          j.getJsonObject("output") == null ? null : StageProtocol.output(j.getJsonObject("output")),
          j.getBoolean("evaluate"), j.getBoolean("writeLabel"),
          j.getString("part"), j.getBoolean("header"), j.getInteger("decimals"), j.getInteger("window"),
          j.getLong("stageTimeoutMs"), j.getLong("stageWaitMs"), j.getString("correlationId"),
          j.getString("progress"), Training.fromJson(j.getJsonObject("training")));
    }
  }

  /**
   * What a run did.
   *
   * @param node         the cluster node it ran on (null on one node)
   * @param summary      the loader's account of the piece: rows read, passed, rejected (with their lines)
   * @param rowsWritten  rows in the part file; for a training run, rows sent to the fit session or evaluated
   * @param columns      the part's columns, or empty when no batch was written
   * @param unknownLevels one-hot values met that were not a fitted level, per column
   * @param batches      which nodes' stages served the run's batches, and what was resent
   * @param withoutLabel rows left out of the evaluation or the fit for want of a label
   * @param evaluated    the label and prediction columns of the evaluated rows, in order; null when not evaluating
   * @param counts       a {@link Task#COUNT} run's labelled training rows of each batch (by its index in the
   *                     piece), by class ({@code ""} for all, unstratified); empty for other runs
   */
  public record Done(int piece, int attempt, String node, LoaderProtocol.Summary summary, long rowsWritten,
                     List<String> columns, Map<String, Long> unknownLevels, JobReport.Batches batches,
                     long withoutLabel, Batch evaluated, Map<Long, Map<String, Long>> counts) {
    public Done {
      columns = List.copyOf(columns);
      unknownLevels = Collections.unmodifiableMap(new LinkedHashMap<>(unknownLevels));
      counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    JsonObject head() {
      return new JsonObject().put("piece", piece).put("attempt", attempt).put("node", node)
          .put("summary", summary.toJson()).put("rowsWritten", rowsWritten).put("columns", new JsonArray(columns))
          .put("unknownLevels", new JsonObject(new LinkedHashMap<>(unknownLevels))).put("batches", batches.toJson())
          .put("withoutLabel", withoutLabel).put("counts", countsJson(counts));
    }

    static Done of(JsonObject h, Batch evaluated) {
      Map<String, Long> unknown = new LinkedHashMap<>();
      h.getJsonObject("unknownLevels").forEach(e -> unknown.put(e.getKey(), ((Number) e.getValue()).longValue()));
      List<String> columns = new ArrayList<>();
      h.getJsonArray("columns").forEach(c -> columns.add((String) c));
      return new Done(h.getInteger("piece"), h.getInteger("attempt"), h.getString("node"),
          LoaderProtocol.Summary.fromJson(h.getJsonObject("summary")), h.getLong("rowsWritten"), columns, unknown,
          JobReport.Batches.fromJson(h.getJsonObject("batches")), h.getLong("withoutLabel"), evaluated,
          PieceProtocol.counts(h.getJsonObject("counts")));
    }
  }

  /** The reply to a {@link Run}: the runner on cluster node {@code node} (null on one node) took it. */
  public record Started(int piece, int attempt, String node) {
    public JsonObject toJson() {
      return new JsonObject().put("piece", piece).put("attempt", attempt).put("node", node);
    }

    public static Started fromJson(JsonObject j) {
      return new Started(j.getInteger("piece"), j.getInteger("attempt"), j.getString("node"));
    }
  }

  /** The outcome of a run that failed with {@code code} and {@code message} (told to its progress address). */
  public record Failed(int piece, int attempt, ErrorCode code, String message) {
    /** The failure {@code t} of {@code run}: an {@link ActorException}'s code, else {@code ACTOR_FAILED}. */
    public static Failed of(Run run, Throwable t) {
      ErrorCode code = t instanceof ActorException e ? e.code() : ErrorCode.ACTOR_FAILED;
      String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      return new Failed(run.piece(), run.attempt(), code, message);
    }

    public ActorException cause() {
      return new ActorException(code, message);
    }

    public JsonObject toJson() {
      return new JsonObject().put("piece", piece).put("attempt", attempt).put("code", code.name())
          .put("message", message);
    }

    public static Failed fromJson(JsonObject j) {
      return new Failed(j.getInteger("piece"), j.getInteger("attempt"), ErrorCode.valueOf(j.getString("code")),
          j.getString("message"));
    }
  }

  /** A run has read {@code rows} more rows. */
  public record Progress(int piece, int attempt, String node, long rows) {
    public JsonObject toJson() {
      return new JsonObject().put("piece", piece).put("attempt", attempt).put("node", node).put("rows", rows);
    }

    public static Progress fromJson(JsonObject j) {
      return new Progress(j.getInteger("piece"), j.getInteger("attempt"), j.getString("node"), j.getLong("rows"));
    }
  }

  /**
   * Stop runs of job {@code job}: with {@code attempt} -1 every attempt of the pieces from {@code piece} on,
   * otherwise only that attempt of that piece of the pass whose runs tell {@code pass} (their {@link Run#progress}):
   * a pass that starts again numbers its attempts from 0 again, and a late cancel of the pass before must not stop
   * them.
   */
  public record Cancel(String job, int piece, int attempt, String pass) {

    /** Every run of {@code job}. */
    public static Cancel job(String job) {
      return new Cancel(job, 0, -1, null);
    }

    public boolean covers(Run r) {
      return r.job().equals(job) && (attempt < 0 ? r.piece() >= piece
          : r.piece() == piece && r.attempt() == attempt && r.progress().equals(pass));
    }

    public JsonObject toJson() {
      return new JsonObject().put("job", job).put("piece", piece).put("attempt", attempt).put("pass", pass);
    }

    public static Cancel fromJson(JsonObject j) {
      return new Cancel(j.getString("job"), j.getInteger("piece", 0), j.getInteger("attempt", -1), j.getString("pass"));
    }
  }

  /** The run request in {@code e}: the record as it is, else its JSON form. */
  public static Run decode(Envelope e) {
    if (e.body() instanceof Run r) {
      return r;
    }
    return Requests.fromJson(e, ADDRESS, Run::fromJson);
  }

  /** The codecs of this protocol's records. */
  static List<BinaryCodec<?>> codecs() {
    return List.of(
        BinaryCodec.of(Run.class, r -> Wire.encode(r.toJson(), null), b -> Run.fromJson(Wire.decode(b).head())),
        BinaryCodec.of(Done.class, d -> Wire.encode(d.head(), d.evaluated()), b -> {
          Wire.Parts p = Wire.decode(b);
          return Done.of(p.head(), p.batch());
        }));
  }
}
