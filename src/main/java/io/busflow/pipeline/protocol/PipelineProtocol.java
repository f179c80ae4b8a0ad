package io.busflow.pipeline.protocol;

import io.busflow.actor.Envelope;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.pipeline.internal.Requests;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What the coordinator at {@link #ADDRESS} understands (JSON, or a string holding it):
 *
 * <ul>
 *   <li>{@code {"op":"run","pipeline":"churn-demo"}} (the file {@code <pipelines>/churn-demo.json}) or
 *       {@code {"op":"run","definition":{…}}}, optionally with {@code "job"} (an id of your choosing,
 *       letters, digits, {@code . _ -}), {@code "mode"}, {@code "source"}, {@code "scoreSource"},
 *       {@code "output"}, {@code "report"} and {@code "partitions"} (a number or {@code "auto"}) overriding the
 *       definition. Replies as soon as the job has started:
 *       {@code {"job":"churn-demo-1a2b","state":"running","progress":"busflow.jobs.churn-demo-1a2b.progress"}}.
 *       A definition that is invalid is {@code BAD_REQUEST} naming the key; an unknown pipeline
 *       {@code NOT_FOUND} listing the known ones; an output directory that is missing {@code NOT_FOUND};
 *       an output, report or model path another running job writes {@code CONFLICT}. Such a refused run
 *       starts nothing; its failure reply is its report.</li>
 *   <li>A plain string such as {@code "churn-demo"} runs that pipeline.</li>
 *   <li>{@code {"op":"status","job":"…"}} → the job's progress while it runs, its report once it ended
 *       ({@code NOT_FOUND} for an unknown id); {@code {"op":"list","limit":50,"offset":0}} (both optional) →
 *       {@code {"jobs":[summary…],"total":N,"offset":K,"limit":L}}, a page of the running jobs and the last
 *       ones that ended, newest first, each a summary {@code {"job","pipeline","mode","state","rowsDone",
 *       "rowsTotal","rowsPerSecond","startedAt","endedAt","error"?}} (never a whole report); {@code {"op":"cancel","job":"…"}} → {@code {"job":…,"state":"cancelling"}};
 *       the job then ends as {@code cancelled}, leaving no output file.</li>
 * </ul>
 *
 * <p>While a job runs, its progress is published about twice a second on {@link #progressAddress(String)}:
 * {@code {"job","pipeline","state":"running","phase","pass","passes","rowsDone","rowsTotal","rowsPerSecond",
 * "etaSeconds","elapsedMs"}}; {@code rowsTotal} is an estimate (rows in the sources by counting lines, times
 * the passes over them). When it ends, its report is published there with {@code "final":true} and
 * {@code "state"} {@code succeeded}, {@code failed} or {@code cancelled}; the report has the final
 * {@code rowsDone}, {@code rowsTotal} (the rows done, once succeeded) and {@code rowsPerSecond}.
 */
public final class PipelineProtocol {

  /** The coordinator's public address. */
  public static final String ADDRESS = "busflow.pipeline";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private PipelineProtocol() {}

  /** Where the progress and the final report of job {@code jobId} are published. */
  public static String progressAddress(String jobId) {
    return "busflow.jobs." + jobId + ".progress";
  }

  /**
   * Where the coordinator instance that runs job {@code jobId} answers {@code status} and {@code cancel}
   * for it (the same JSON), so that any coordinator instance can: one that does not know a job asks there.
   */
  public static String jobAddress(String jobId) {
    return ADDRESS + ".jobs." + jobId;
  }

  /** A request to the coordinator. */
  public sealed interface Request permits Run, Status, ListJobs, Cancel {}

  /**
   * Run a pipeline: by name ({@code pipeline}) or given ({@code definition}); {@code overrides} holds the
   * optional {@code mode}, {@code source}, {@code scoreSource}, {@code output}, {@code report} and {@code partitions}.
   */
  public record Run(String pipeline, JsonObject definition, String job, JsonObject overrides) implements Request {
    public JsonObject toJson() {
      JsonObject j = overrides.copy().put("op", "run");
      if (pipeline != null) {
        j.put("pipeline", pipeline);
      }
      if (definition != null) {
        j.put("definition", definition.copy());
      }
      return job == null ? j : j.put("job", job);
    }
  }

  /** The progress or report of a job. */
  public record Status(String job) implements Request {}

  /** A page of the running and recent jobs, newest first: at most {@code limit} after skipping {@code offset}. */
  public record ListJobs(int limit, int offset) implements Request {

    /** Jobs per page unless asked otherwise. */
    public static final int DEFAULT_LIMIT = 50;
    /** The most jobs one page may hold. */
    public static final int MAX_LIMIT = 1000;

    public JsonObject toJson() {
      return new JsonObject().put("op", "list").put("limit", limit).put("offset", offset);
    }
  }

  /** Stop a running job. */
  public record Cancel(String job) implements Request {}

  /** Whether {@code id} may name a job or a pipeline: letters, digits, {@code . _ -}, 64 at most. */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static Request decode(Envelope e) {
    if (e.body() instanceof String s && !s.trim().startsWith("{")) {
      return new Run(s.trim(), null, null, new JsonObject());
    }
    return Requests.fromJson(e, ADDRESS, PipelineProtocol::decode);
  }

  private static Request decode(JsonObject j) {
    ConfigReader r = new ConfigReader(j, "");
    String op = r.requiredString("op");
    Request req = switch (op) {
      case "run" -> run(r, j);
      case "status" -> new Status(r.requiredString("job"));
      case "list" -> new ListJobs(r.integer("limit", ListJobs.DEFAULT_LIMIT, 1, ListJobs.MAX_LIMIT),
          r.integer("offset", 0, 0, Integer.MAX_VALUE));
      case "cancel" -> new Cancel(r.requiredString("job"));
      default -> throw new ConfigException("op", "is '" + op + "' but must be run, status, list or cancel");
    };
    r.done();
    return req;
  }

  private static Run run(ConfigReader r, JsonObject j) {
    String pipeline = r.string("pipeline", null);
    JsonObject definition = r.has("definition") ? r.rawObject("definition") : null;
    if ((pipeline == null) == (definition == null)) {
      throw new ConfigException("pipeline", "give exactly one of 'pipeline' (a name in the pipelines directory) "
          + "and 'definition' (the pipeline itself)");
    }
    String job = r.string("job", null);
    if (job != null && !validId(job)) {
      throw new ConfigException("job", "is '" + job + "' but must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    JsonObject overrides = new JsonObject();
    for (String key : new String[] {"mode", "source", "scoreSource", "output", "report"}) {
      String v = r.string(key, null);
      if (v != null) {
        overrides.put(key, v);
      }
    }
    if (r.has("partitions")) {
      r.allow("partitions");
      overrides.put("partitions", j.getValue("partitions"));
    }
    return new Run(pipeline, definition, job, overrides);
  }
}
