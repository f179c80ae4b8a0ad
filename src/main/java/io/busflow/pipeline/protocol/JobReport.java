package io.busflow.pipeline.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a job that ended: what {@code status} answers once it ended, what the job's last progress message
 * carries and what its report file holds. Built by the coordinator as this record; {@link #toJson()} is its JSON
 * form (the keys in the order of the components, absent ones left out) and {@link #fromJson} reads that back.
 *
 * @param job         the job's id
 * @param pipeline    the pipeline's name
 * @param mode        train, score or train+score
 * @param state       how it ended
 * @param startedAt   when it started
 * @param finishedAt  when it ended
 * @param elapsedMs   how long it ran
 * @param counts      rows read over all passes, the total, rows per second
 * @param note        why a cancelled job ended; null otherwise
 * @param error       the failure of a failed job; null otherwise
 * @param training    the training phase's part (train modes); null otherwise
 * @param scoring     the scoring phase's part (score modes); null otherwise
 * @param batches     per stage, the batches each node handled and the requests resent; members left; passes restarted
 * @param output      the predictions written (a succeeded job with an output); null otherwise
 * @param report      the report file written; null when none was
 * @param reportError why the report file could not be written; null otherwise
 */
public record JobReport(String job, String pipeline, PipelineDefinition.Mode mode, State state, Instant startedAt,
                        Instant finishedAt, long elapsedMs, Counts counts, String note, Error error,
                        Training training, Scoring scoring, Batches batches, String output, String report,
                        String reportError) {

  /** How a job stands; in JSON, the lower-case name. */
  public enum State {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /** Rows read over all the job's passes, their total (the rows read, once succeeded) and rows per second. */
  public record Counts(long rowsDone, long rowsTotal, long rowsPerSecond) {}

  /**
   * What happened to the job's batch requests: per stage (address), the batches each node handled and the requests
   * resent; the cluster members that left while the job ran; the passes that started again.
   */
  public record Batches(Map<String, StageBatches> stages, int membersLeft, int passesRestarted) {

    JsonObject toJson() {
      JsonObject s = new JsonObject();
      stages.forEach((stage, b) -> s.put(stage, b.toJson()));
      return new JsonObject().put("stages", s).put("membersLeft", membersLeft).put("passesRestarted", passesRestarted);
    }

    static Batches fromJson(JsonObject j) {
      Map<String, StageBatches> stages = new LinkedHashMap<>();
      j.getJsonObject("stages").forEach(e -> stages.put(e.getKey(), StageBatches.fromJson((JsonObject) e.getValue())));
      return new Batches(stages, j.getInteger("membersLeft"), j.getInteger("passesRestarted"));
    }
  }

  /** One stage's batches: per node, how many it handled (null when none), and the requests resent (null when none). */
  public record StageBatches(Map<String, Long> nodes, Long resent) {

    JsonObject toJson() {
      JsonObject j = new JsonObject();
      putIf(j, "nodes", nodes == null ? null : new JsonObject(new LinkedHashMap<>(nodes)));
      putIf(j, "resent", resent);
      return j;
    }

    static StageBatches fromJson(JsonObject j) {
      JsonObject n = j.getJsonObject("nodes");
      Map<String, Long> nodes = null;
      if (n != null) {
        nodes = new LinkedHashMap<>();
        for (String node : n.fieldNames()) {
          nodes.put(node, n.getLong(node));
        }
      }
      return new StageBatches(nodes, j.getLong("resent"));
    }
  }

  /** A failed job's failure: its code (an {@code ErrorCode} name) and message. */
  public record Error(String code, String message) {}

  /**
   * The training phase's part of a report, in the order the phase learns it: the pieces read, the training source's
   * rows (the loader's summary), the fitted preprocessor, the fitted model, the evaluation on the test rows and the
   * cross-validation. A component is null until the phase got there (a failed job's report stops where it failed).
   *
   * @param partitions       pieces the training source was read in
   * @param source           the loader's summary of the training source (rows read, rejected, …) with its path
   * @param trainRows        rows the fits saw (the test rows held out)
   * @param rowsWithoutLabel training rows left out for a missing label
   * @param preprocessor     the fitted preprocessor
   * @param model            the fitted model
   * @param evaluation       the evaluation report (metrics, curves) on the test rows
   * @param crossValidation  the cross-validation report, when the pipeline asks for one
   */
  public record Training(Integer partitions, JsonObject source, Long trainRows, Long rowsWithoutLabel,
                         FittedPreprocessor preprocessor, FittedModel model, JsonObject evaluation,
                         JsonObject crossValidation) {

    JsonObject toJson() {
      JsonObject j = new JsonObject();
      putIf(j, "partitions", partitions);
      putIf(j, "source", source == null ? null : source.copy());
      putIf(j, "trainRows", trainRows);
      putIf(j, "rowsWithoutLabel", rowsWithoutLabel);
      putIf(j, "preprocessor", preprocessor == null ? null : preprocessor.toJson());
      putIf(j, "model", model == null ? null : model.toJson());
      putIf(j, "evaluation", evaluation == null ? null : evaluation.copy());
      putIf(j, "crossValidation", crossValidation == null ? null : crossValidation.copy());
      return j;
    }

    static Training fromJson(JsonObject j) {
      return j == null ? null : new Training(j.getInteger("partitions"), j.getJsonObject("source"),
          j.getLong("trainRows"), j.getLong("rowsWithoutLabel"),
          FittedPreprocessor.fromJson(j.getJsonObject("preprocessor")), FittedModel.fromJson(j.getJsonObject("model")),
          j.getJsonObject("evaluation"), j.getJsonObject("crossValidation"));
    }
  }

  /**
   * A fitted preprocessor as a report names it: its id, the features it makes (a training job's report) and the file
   * it was saved to or loaded from (null when none).
   */
  public record FittedPreprocessor(String id, List<String> features, String path) {

    /** This preprocessor, saved to {@code file}. */
    public FittedPreprocessor savedTo(String file) {
      return new FittedPreprocessor(id, features, file);
    }

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("id", id);
      putIf(j, "features", features == null ? null : new JsonArray(new ArrayList<>(features)));
      putIf(j, "path", path);
      return j;
    }

    static FittedPreprocessor fromJson(JsonObject j) {
      if (j == null) {
        return null;
      }
      JsonArray f = j.getJsonArray("features");
      List<String> features = null;
      if (f != null) {
        features = new ArrayList<>();
        for (Object o : f) {
          features.add((String) o);
        }
      }
      return new FittedPreprocessor(j.getString("id"), features, j.getString("path"));
    }
  }

  /**
   * A model as a report names it: its version id, and for a model a training job fitted its type, parameters, the
   * rows it was fitted on, its classes (classifiers), how its fit went and its named coefficients (where the type
   * has them: {@code [{"class":…,"intercept":…,"coefficients":[{"feature":…,"coef":…},…]},…]}); the file it was saved to or loaded from (null when none). In a score job's report only the id and path.
   */
  public record FittedModel(String id, String type, JsonObject params, Long rows, List<Object> classes,
                            JsonObject fit, JsonArray coefficients, String path) {

    /** A saved model a score job loaded: its id and file. */
    public static FittedModel loaded(String id, String path) {
      return new FittedModel(id, null, null, null, null, null, null, path);
    }

    /** This model, saved to {@code file}. */
    public FittedModel savedTo(String file) {
      return new FittedModel(id, type, params, rows, classes, fit, coefficients, file);
    }

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("id", id);
      putIf(j, "type", type);
      if (type != null) {
        j.put("params", params == null ? null : params.copy()); // a fitted model's report names its params, even none
      }
      putIf(j, "rows", rows);
      putIf(j, "classes", classes == null ? null : new JsonArray(new ArrayList<>(classes)));
      putIf(j, "fit", fit == null ? null : fit.copy());
      putIf(j, "coefficients", coefficients == null ? null : coefficients.copy());
      putIf(j, "path", path);
      return j;
    }

    static FittedModel fromJson(JsonObject j) {
      if (j == null) {
        return null;
      }
      JsonArray k = j.getJsonArray("classes");
      return new FittedModel(j.getString("id"), j.getString("type"), j.getJsonObject("params"), j.getLong("rows"),
          k == null ? null : new ArrayList<>(k.getList()), j.getJsonObject("fit"), j.getJsonArray("coefficients"),
          j.getString("path"));
    }
  }

  /**
   * The scoring phase's part of a report: the saved preprocessor and model a score job loaded (null in a train+score
   * job, whose training part names them), the pieces read, the scoring source's rows (the loader's summary), the
   * rows written, the values met per one-hot column that were not a fitted level, the output, and the evaluation
   * when the source has the label.
   */
  public record Scoring(FittedPreprocessor preprocessor, FittedModel model, Integer partitions, JsonObject source,
                        Long rowsWritten, Map<String, Long> unknownLevels, String output, JsonObject evaluation) {

    JsonObject toJson() {
      JsonObject j = new JsonObject();
      // a loaded preprocessor or model names its file, null for a preprocessor that passes the features through
      putIf(j, "preprocessor", preprocessor == null ? null : withPath(preprocessor.toJson()));
      putIf(j, "model", model == null ? null : withPath(model.toJson()));
      putIf(j, "partitions", partitions);
      putIf(j, "source", source == null ? null : source.copy());
      putIf(j, "rowsWritten", rowsWritten);
      putIf(j, "unknownLevels", unknownLevels == null ? null : new JsonObject(new LinkedHashMap<>(unknownLevels)));
      putIf(j, "output", output);
      putIf(j, "evaluation", evaluation == null ? null : evaluation.copy());
      return j;
    }

    private static JsonObject withPath(JsonObject j) {
      return j.containsKey("path") ? j : j.putNull("path");
    }

    static Scoring fromJson(JsonObject j) {
      if (j == null) {
        return null;
      }
      JsonObject u = j.getJsonObject("unknownLevels");
      Map<String, Long> unknown = null;
      if (u != null) {
        unknown = new LinkedHashMap<>();
        for (String c : u.fieldNames()) {
          unknown.put(c, u.getLong(c));
        }
      }
      return new Scoring(FittedPreprocessor.fromJson(j.getJsonObject("preprocessor")),
          FittedModel.fromJson(j.getJsonObject("model")), j.getInteger("partitions"), j.getJsonObject("source"),
          j.getLong("rowsWritten"), unknown, j.getString("output"), j.getJsonObject("evaluation"));
    }
  }

  /** This report naming the report file it is written to. */
  public JobReport withReport(String file) {
    return new JobReport(job, pipeline, mode, state, startedAt, finishedAt, elapsedMs, counts, note, error, training,
        scoring, batches, output, file, reportError);
  }

  /** This report saying why its file could not be written. */
  public JobReport withReportError(String why) {
    return new JobReport(job, pipeline, mode, state, startedAt, finishedAt, elapsedMs, counts, note, error, training,
        scoring, batches, output, report, why);
  }

  /** Whether the job succeeded. */
  public boolean succeeded() {
    return state == State.SUCCEEDED;
  }

  /**
   * The evaluation metrics of the training phase ({@code training}) or of the scoring phase ({@code scoring}) of the
   * report {@code json}, or null when it has none.
   */
  public static JsonObject evaluationMetrics(JsonObject json, String part) {
    Object evaluation = json.getValue(part) instanceof JsonObject p ? p.getValue("evaluation") : null;
    return evaluation instanceof JsonObject e && e.getValue("metrics") instanceof JsonObject m ? m : null;
  }

  /** The report's JSON: the keys the README documents, in this record's order. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("job", job).put("pipeline", pipeline).put("mode", mode.label())
        .put("state", state.label()).put("startedAt", startedAt.toString()).put("finishedAt", finishedAt.toString())
        .put("elapsedMs", elapsedMs).put("rowsDone", counts.rowsDone()).put("rowsTotal", counts.rowsTotal())
        .put("rowsPerSecond", counts.rowsPerSecond());
    putIf(j, "note", note);
    putIf(j, "error", error == null ? null : new JsonObject().put("code", error.code()).put("message", error.message()));
    putIf(j, "training", training == null ? null : training.toJson());
    putIf(j, "scoring", scoring == null ? null : scoring.toJson());
    j.put("batches", batches.toJson());
    putIf(j, "output", output);
    putIf(j, "report", report);
    putIf(j, "reportError", reportError);
    return j;
  }

  private static void putIf(JsonObject j, String key, Object value) {
    if (value != null) {
      j.put(key, value);
    }
  }

  /** The report whose JSON is {@code json} ({@link #toJson()}'s form; other keys, such as {@code final}, are ignored). */
  public static JobReport fromJson(JsonObject json) {
    JsonObject e = json.getJsonObject("error");
    return new JobReport(json.getString("job"), json.getString("pipeline"),
        mode(json.getString("mode")), State.of(json.getString("state")),
        Instant.parse(json.getString("startedAt")), Instant.parse(json.getString("finishedAt")),
        json.getLong("elapsedMs"), new Counts(json.getLong("rowsDone"), json.getLong("rowsTotal"),
        json.getLong("rowsPerSecond")), json.getString("note"),
        e == null ? null : new Error(e.getString("code"), e.getString("message")), Training.fromJson(json.getJsonObject("training")),
        Scoring.fromJson(json.getJsonObject("scoring")), Batches.fromJson(json.getJsonObject("batches")), json.getString("output"),
        json.getString("report"), json.getString("reportError"));
  }

  private static PipelineDefinition.Mode mode(String label) {
    return PipelineDefinition.Mode.valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
