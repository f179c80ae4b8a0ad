package io.busflow.pipeline.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * @param training    the training phase's report (train modes), as the phase builds it (JSON); null otherwise
 * @param scoring     the scoring phase's report (score modes), as the phase builds it (JSON); null otherwise
 * @param batches     per stage, the batches each node handled and the requests resent; members left; passes restarted
 * @param output      the predictions written (a succeeded job with an output); null otherwise
 * @param report      the report file written; null when none was
 * @param reportError why the report file could not be written; null otherwise
 */
public record JobReport(String job, String pipeline, PipelineDefinition.Mode mode, State state, Instant startedAt,
                        Instant finishedAt, long elapsedMs, Counts counts, String note, Error error,
                        JsonObject training, JsonObject scoring, Batches batches, String output, String report,
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
    putIf(j, "training", training == null ? null : training.copy());
    putIf(j, "scoring", scoring == null ? null : scoring.copy());
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
        e == null ? null : new Error(e.getString("code"), e.getString("message")), json.getJsonObject("training"),
        json.getJsonObject("scoring"), Batches.fromJson(json.getJsonObject("batches")), json.getString("output"),
        json.getString("report"), json.getString("reportError"));
  }

  private static PipelineDefinition.Mode mode(String label) {
    return PipelineDefinition.Mode.valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
