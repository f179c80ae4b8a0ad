package io.busflow.pipeline.protocol;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.io.BadRowPolicy;
import io.busflow.data.transform.Preprocessor;
import io.busflow.data.transform.SpecException;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.loader.ReadSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as {@code conf/pipelines/NAME.json} declares it, validated: every error names the key's path
 * (for example {@code churn-demo.split.test: is 1.5 but must be between 0.0 and 0.95}). The keys are
 * documented in the README ("Pipeline file reference").
 *
 * @param name             the pipeline's name (the file name without {@code .json} unless given)
 * @param mode             train, score or train-then-score
 * @param source           the training source (train modes), the scoring source in score mode unless
 *                         {@code scoreSource} is set; a path under the data roots
 * @param read             how to read the sources ({@code read} section, plus {@code batchSize} and
 *                         {@code badRows})
 * @param label            the label column (required to train)
 * @param id               the id column, copied into the output; null when none
 * @param split            which training-source rows are held out for evaluation
 * @param preprocessing    the preprocessing spec (steps, optional features), without id and label
 * @param preprocessorPath where the fitted preprocessor is saved (train) or loaded from (score); may be null:
 *                         nothing is saved, and in score mode the features pass through untouched (the
 *                         model's feature columns are selected)
 * @param model            the model to fit; in score mode the model's type and params when the pipeline gives
 *                         them (needed for a model stored as a file, such as onnx), else null
 * @param modelPath        where the model is saved or loaded from, as {@code preprocessorPath}
 * @param scoreSource      the source to score; null for {@code source}
 * @param scoreEvaluates   whether scoring also evaluates the predictions when the scored source has the
 *                         label column (holds the label and the probabilities of every scored row)
 * @param output           where predictions go (required to score)
 * @param report           where the job report goes; may be null
 * @param batchesInFlight  batches between the loader and the output at most (memory is bounded by
 *                         batchSize × batchesInFlight)
 * @param stageTimeoutMs   how long one request to a stage may take
 * @param stageWaitMs      how long a job waits for a stage that has no instance left (or keeps refusing
 *                         with {@code STOPPING} / {@code MAILBOX_FULL}) before it fails naming the stage
 * @param crossValidation  k-fold cross-validation on the training rows (train modes); null when none
 * @param actorSteps       the user's own stages that come first in {@code preprocessing.steps}, applied to the
 *                         rows as read in every mode (README, "Writing a stage actor"); empty when none
 * @param partitions       how many pieces the scoring source is read in at once, each with its own cursor,
 *                         stages and part of the output, and the training source in each training pass
 *                         (preprocessing fit, model fit, evaluation), each piece fitted apart and merged
 *                         ({@link #AUTO_PARTITIONS}: one per core of the node that runs the job); 1 reads
 *                         them front to back. Memory is bounded by batchSize × batchesInFlight × partitions
 * @param partitionMinBytes a source smaller than this is read as one piece whatever {@code partitions}
 */
public record PipelineDefinition(String name, Mode mode, String source, ReadSpec read, String label, String id,
                                 Split split, Map<String, Object> preprocessing, String preprocessorPath,
                                 ModelSpec model, String modelPath, String scoreSource, boolean scoreEvaluates,
                                 Output output,
                                 String report, int batchesInFlight, long stageTimeoutMs, long stageWaitMs,
                                 CrossValidation crossValidation, List<ActorStep> actorSteps, int partitions,
                                 long partitionMinBytes) {

  /** {@code "partitions": "auto"}: one partition per core of the node that runs the job. */
  public static final int AUTO_PARTITIONS = 0;
  /** The most partitions a pipeline may ask for. */
  public static final int MAX_PARTITIONS = 1024;

  /** What a job does. */
  public enum Mode {
    /** Fit preprocessing and model on the training rows, evaluate on the test rows, save both. */
    TRAIN,
    /** Apply saved preprocessing and model to a source, writing predictions. */
    SCORE,
    /** Train, then score with what was just fitted. */
    TRAIN_THEN_SCORE;

    public boolean trains() {
      return this != SCORE;
    }

    public boolean scores() {
      return this != TRAIN;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** Which rows of the training source are test rows. */
  public sealed interface Split permits Fraction, ByColumn, TestSource {}

  /**
   * A row is a test row when a hash of ({@code seed}, its position among the rows read) falls below
   * {@code test}: the same rows on every run and pass, about {@code test} of them.
   */
  public record Fraction(double test, long seed) implements Split {}

  /** A row is a test row when its {@code column} holds {@code testValue}; the column is not a feature. */
  public record ByColumn(String column, String testValue) implements Split {}

  /** Every row of the training source trains; every row of {@code source} tests. */
  public record TestSource(String source) implements Split {}

  /**
   * Where predictions go.
   *
   * @param path     a file under the output roots; its extension sets the format (.csv, .tsv, .jsonl)
   * @param decimals decimals of the probability columns (default 6)
   * @param label    whether the label column is written beside the predictions when the source has it
   *                 (default true: predictions can be compared without a join)
   * @param parts    whether {@code path} becomes a directory of one file per partition
   *                 ({@code part-00000.csv}, …, in input order, each with its header) instead of one file
   */
  public record Output(String path, int decimals, boolean label, boolean parts) {}

  /**
   * k-fold cross-validation on the training rows (those the split trains on, with a label), in file order:
   * stratified, the j-th row (0-based) of each class goes to fold {@code j % folds}; otherwise the j-th
   * training row does. Each fold fits the preprocessing and the model on the other folds and is evaluated.
   *
   * @param folds      how many folds, 2 … 100
   * @param stratified whether folds are dealt per class (classifiers only)
   */
  public record CrossValidation(int folds, boolean stratified) {}

  /** Parses {@code json}; {@code place} prefixes key paths in errors (the file name, usually). */
  public static PipelineDefinition read(JsonObject json, String place, String defaultName) {
    ConfigReader r = new ConfigReader(json, place);
    Mode mode = r.enumValue("mode", Mode.class, Mode.TRAIN_THEN_SCORE);
    ReadSpec read = readSpec(r);
    String label = mode.trains() ? r.requiredString("label") : r.string("label", null);
    String id = r.string("id", null);
    ConfigReader pre = r.object("preprocessing");
    ConfigReader mod = r.object("model");
    ConfigReader score = r.object("score");
    List<ActorStep> actors = ActorStep.leading(rawList(section(json, "preprocessing"), pre, "steps"), pre);
    PipelineDefinition d = new PipelineDefinition(r.string("name", defaultName), mode,
        mode.trains() ? r.requiredString("source") : r.string("source", null), read, label, id,
        split(r.object("split")), preprocessing(section(json, "preprocessing"), pre, id, label, mode, actors.size()),
        pre.string("path", null), model(mod, mode),
        path(mod, mode), score.string("source", null), score.bool("evaluate", false), output(r.object("output"), mode),
        r.string("report", null), r.integer("batchesInFlight", 4, 1, 1024),
        r.longValue("stageTimeoutMs", 300_000, 100, 86_400_000), r.longValue("stageWaitMs", 30_000, 0, 86_400_000),
        crossValidation(r, mode), actors, partitions(r, json),
        r.longValue("partitionMinBytes", io.busflow.data.io.SplitPlanner.DEFAULT_MIN_BYTES, 0, Long.MAX_VALUE));
    score.done();
    pre.done();
    mod.done();
    r.done();
    return d.check(r);
  }

  private static JsonObject section(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
  }

  /** {@code partitions}: a number from 1 to {@value #MAX_PARTITIONS} or {@code "auto"}. */
  private static int partitions(ConfigReader r, JsonObject json) {
    Object v = json.getValue("partitions");
    if (v instanceof String s) {
      if (!s.equals("auto")) {
        throw new ConfigException(r.path("partitions"), "is '" + s + "' but must be a number from 1 to "
            + MAX_PARTITIONS + " or \"auto\" (one per core)");
      }
      r.allow("partitions");
      return AUTO_PARTITIONS;
    }
    return r.integer("partitions", 1, 1, MAX_PARTITIONS);
  }

  private static CrossValidation crossValidation(ConfigReader r, Mode mode) {
    if (!r.has("crossValidation")) {
      return null;
    }
    if (!mode.trains()) {
      throw new ConfigException(r.path("crossValidation"), "is set but mode is score; cross-validation needs a "
          + "training mode (train or train-then-score), or remove the key");
    }
    ConfigReader c = r.object("crossValidation");
    CrossValidation cv = new CrossValidation(c.integer("folds", 5, 2, 100), c.bool("stratified", false));
    c.done();
    return cv;
  }

  private static ReadSpec readSpec(ConfigReader r) {
    ConfigReader section = r.object("read");
    for (String key : List.of("batchSize", "badRows")) {
      // the loader request's keys, which a pipeline sets at its top level: here they would be overridden unseen
      if (section.has(key)) {
        throw new ConfigException(section.path(key), "belongs at the top of the pipeline, not in its read section; "
            + "move it up beside 'read' (\"" + key + "\": …)");
      }
    }
    ReadSpec spec = ReadSpec.read(section);
    section.done();
    return spec.withBatchSize(r.integer("batchSize", 10_000, 1, 1_000_000))
        .withBadRows(r.enumValue("badRows", BadRowPolicy.class, BadRowPolicy.FAIL));
  }

  private static Split split(ConfigReader s) {
    Split split;
    if (s.has("column")) {
      split = new ByColumn(s.requiredString("column"), s.string("testValue", "test"));
    } else if (s.has("testSource")) {
      split = new TestSource(s.requiredString("testSource"));
    } else {
      split = new Fraction(s.number("test", 0.2, 0, 0.95), s.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    s.done();
    return split;
  }

  /**
   * The preprocessing spec, parsed and checked once (every key of every step, in every mode, so that a typo
   * fails even when scoring ignores the steps); an error names the key's path, e.g.
   * {@code churn.preprocessing.steps[0].impute.stratgy}. Score mode uses the saved preprocessor instead. The
   * leading actor steps are not part of it ({@link ActorStep}).
   */
  private static Map<String, Object> preprocessing(JsonObject section, ConfigReader pre, String id, String label,
      Mode mode, int actorSteps) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id_column", id);
    spec.put("label_column", label);
    spec.put("steps", JsonShapes.toMap(new JsonObject().put("s", ActorStep.rest(rawList(section, pre, "steps"), actorSteps))).get("s"));
    if (pre.has("features")) {
      spec.put("features", pre.strings("features", List.of()));
    }
    try {
      Preprocessor.Spec.parse(spec);
    } catch (SpecException e) {
      throw new ConfigException(pre.path(ActorStep.shifted(e.path(), actorSteps)), e.problem());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(pre.path("steps"), e.getMessage());
    }
    return mode.trains() ? spec : Map.of();
  }

  /** The raw list at {@code key} of the section {@code r} reads (its steps are checked by Preprocessor). */
  private static JsonArray rawList(JsonObject section, ConfigReader r, String key) {
    r.allow(key);
    Object v = section.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw new ConfigException(r.path(key), "must be a list of steps such as [{\"impute\": {…}}, {\"scale\": {…}}]");
    }
    return a;
  }

  private static String path(ConfigReader section, Mode mode) {
    return mode.trains() ? section.string("path", null) : section.requiredString("path");
  }

  /** The model to fit (train modes); in score mode the model's type when given (a saved JSON model says its own). */
  private static ModelSpec model(ConfigReader mod, Mode mode) {
    if (mode.trains()) {
      return ModelSpec.readFittable(mod);
    }
    if (mod.has("type")) {
      return ModelSpec.read(mod);
    }
    mod.allow("params");
    return null;
  }

  private static Output output(ConfigReader o, Mode mode) {
    String path = mode.scores() ? o.requiredString("path") : o.string("path", null);
    Output out = new Output(path, o.integer("decimals", 6, 0, 15), o.bool("label", true), o.bool("parts", false));
    o.done();
    return out;
  }

  private PipelineDefinition check(ConfigReader r) {
    if (split instanceof ByColumn c && (c.column().equals(label) || c.column().equals(id))) {
      throw new ConfigException(r.path("split.column"), "is '" + c.column() + "', the label or id column; "
          + "name a column that only marks test rows");
    }
    if (crossValidation != null && crossValidation.stratified() && !model.classifier()) {
      throw new ConfigException(r.path("crossValidation.stratified"), "is true but model '" + model.type()
          + "' is a regression; stratified folds need classes: set it to false");
    }
    if (id != null && id.equals(label)) {
      throw new ConfigException(r.path("id"), "is the label column '" + label + "'; they must differ");
    }
    return this;
  }

  /**
   * Where the report of a job of this pipeline is written, or null when it has no {@code report}: the
   * {@code report} path itself for the training modes; in score mode the same name with {@code .score}
   * before its extension ({@code churn-report.json} → {@code churn-report.score.json}), so that scoring
   * never replaces the training report and its evaluation metrics. A job that fails writes to the name with
   * {@code .failed} before the extension instead ({@code churn-report.failed.json},
   * {@code churn-report.score.failed.json}), so that the report of the last successful run, which describes
   * the saved model and the predictions file, stays; a cancelled job writes none.
   */
  public String reportFile(boolean failed) {
    if (report == null) {
      return null;
    }
    String suffix = (mode == Mode.SCORE ? ".score" : "") + (failed ? ".failed" : "");
    int dot = report.lastIndexOf('.');
    boolean ext = dot > Math.max(report.lastIndexOf('/'), report.lastIndexOf('\\')) + 1;
    return ext ? report.substring(0, dot) + suffix + report.substring(dot) : report + suffix;
  }

  /** The partitions of a pass: {@link #partitions}, with {@code auto} as {@code cores}. */
  public int partitionsFor(int cores) {
    return partitions == AUTO_PARTITIONS ? Math.max(1, Math.min(cores, MAX_PARTITIONS)) : partitions;
  }

  /** The source that a score pass reads. */
  public String scoringSource() {
    return scoreSource != null ? scoreSource : source;
  }
}
