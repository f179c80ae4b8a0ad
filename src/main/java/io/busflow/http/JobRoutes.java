package io.busflow.http;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs API, talking to the coordinator only through {@link PipelineProtocol}:
 *
 * <ul>
 *   <li>{@code POST /api/v1/jobs} {@code {"pipeline","mode","source","scoreSource","output","report","partitions",
 *       "job"}} starts a
 *       pipeline of the coordinator's pipelines directory: 202 with the job id, a {@code Location} header and
 *       the URLs of its status and events; 422 for a body that is JSON but not such an object, 404 for an
 *       unknown pipeline, 409 when its output is in use.</li>
 *   <li>{@code GET /api/v1/jobs?limit=50&offset=0}: a page of the running jobs and the last ones that ended,
 *       newest first, as summaries: {@code {"jobs":[…],"total","offset","limit"}}; 400 for a limit outside
 *       1…{@value PipelineProtocol.ListJobs#MAX_LIMIT} or a negative offset.</li>
 *   <li>{@code GET /api/v1/jobs/{id}}: its progress while it runs (state, rows done and total, rows/s, ETA),
 *       its report once it ended, with the evaluation {@code metrics} on top; 404 for an unknown id.</li>
 *   <li>{@code GET /api/v1/jobs/{id}/events}: its progress as Server-Sent Events until it ends (see
 *       {@link JobEvents}).</li>
 *   <li>{@code DELETE /api/v1/jobs/{id}}: cancels it, 202; it then ends {@code cancelled} without an output
 *       file. 404 for an unknown id, 409 when it has ended already.</li>
 * </ul>
 */
public final class JobRoutes implements ApiModule {

  /** The collection's path. */
  public static final String PATH = "/api/v1/jobs";
  static final String OPENAPI_RESOURCE = "io/busflow/http/jobs.openapi.json";
  private static final List<String> RUN_KEYS = List.of("pipeline", "mode", "source", "scoreSource", "output",
      "report", "partitions", "job");

  private final long heartbeatMs;
  private final AtomicInteger openStreams = new AtomicInteger();

  /**
   * The routes; event streams send a heartbeat every {@value JobEvents#HEARTBEAT_MS} ms, or every half
   * {@code http.idleTimeoutMs} when that is shorter.
   */
  public JobRoutes() {
    this(JobEvents.HEARTBEAT_MS);
  }

  JobRoutes(long heartbeatMs) {
    this.heartbeatMs = heartbeatMs;
  }

  @Override
  public void mount(Router router, ApiSupport support) {
    router.post(PATH).handler(support.timeout()).handler(support.body()).handler(ctx -> start(ctx, support));
    router.get(PATH).handler(support.timeout()).handler(ctx -> list(ctx, support));
    router.get(PATH + "/:id").handler(support.timeout()).handler(ctx -> status(ctx, support));
    router.delete(PATH + "/:id").handler(support.timeout()).handler(ctx -> cancel(ctx, support));
    long heartbeat = Math.min(heartbeatMs, support.config().idleTimeoutMs() / 2);
    router.get(PATH + "/:id/events")
        .handler(ctx -> new JobEvents(ctx, support, jobId(ctx), heartbeat, openStreams).open());
  }

  @Override
  public JsonObject openApiPaths() {
    return Resources.json(OPENAPI_RESOURCE);
  }

  /** Event streams currently open on these routes. */
  int openStreams() {
    return openStreams.get();
  }

  private void start(RoutingContext ctx, ApiSupport support) {
    PipelineProtocol.Run run = runRequest(support.jsonBody(ctx));
    ask(ctx, support, run.toJson()).onSuccess(started -> accepted(ctx, support, started.getString("job")))
        .onFailure(t -> support.fail(ctx, t));
  }

  private static void accepted(RoutingContext ctx, ApiSupport support, String job) {
    ctx.response().putHeader(HttpHeaders.LOCATION, self(job));
    support.json(ctx, 202, new JsonObject().put("job", job).put("state", "running")
        .put("progressAddress", PipelineProtocol.progressAddress(job)).put("links", links(job)));
  }

  private void list(RoutingContext ctx, ApiSupport support) {
    PipelineProtocol.ListJobs page = new PipelineProtocol.ListJobs(
        queryInt(ctx, "limit", PipelineProtocol.ListJobs.DEFAULT_LIMIT, 1, PipelineProtocol.ListJobs.MAX_LIMIT),
        queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE));
    ask(ctx, support, page.toJson())
        .onSuccess(body -> support.json(ctx, 200, body)).onFailure(t -> support.fail(ctx, t));
  }

  /**
   * The integer query parameter {@code name}, {@code fallback} when absent; 400 naming it when out of range or given
   * more than once (which of two values was meant is not for the server to guess).
   */
  static int queryInt(RoutingContext ctx, String name, int fallback, int min, int max) {
    List<String> values = ctx.queryParams().getAll(name);
    if (values.isEmpty()) {
      return fallback;
    }
    String value = values.get(0);
    if (values.size() > 1) {
      throw HttpFailure.badRequest("GET " + PATH + ": " + name + " is given " + values.size() + " times ("
          + String.join(", ", values) + "); give it once, e.g. ?" + name + "=" + value);
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpFailure.badRequest("GET " + PATH + ": " + name + "='" + value + "' must be a whole number from " + min
        + " to " + max + ", e.g. ?limit=" + PipelineProtocol.ListJobs.DEFAULT_LIMIT + "&offset=0");
  }

  private void status(RoutingContext ctx, ApiSupport support) {
    String job = jobId(ctx);
    askAbout(ctx, support, job, statusRequest(job)).map(JobRoutes::view)
        .onSuccess(body -> support.json(ctx, 200, body)).onFailure(t -> support.fail(ctx, t));
  }

  private void cancel(RoutingContext ctx, ApiSupport support) {
    String job = jobId(ctx);
    askAbout(ctx, support, job, new JsonObject().put("op", "cancel").put("job", job))
        .map(reply -> cancelling(job, reply.getString("state")))
        .onSuccess(body -> support.json(ctx, 202, body)).onFailure(t -> support.fail(ctx, t));
  }

  private static JsonObject cancelling(String job, String state) {
    if (!"cancelling".equals(state)) {
      throw new HttpFailure(409, ErrorCode.CONFLICT, "job '" + job + "' has ended already (" + state
          + "); there is nothing to cancel — GET " + self(job) + " shows its report");
    }
    return new JsonObject().put("job", job).put("state", state).put("links", links(job));
  }

  static JsonObject statusRequest(String job) {
    return new JsonObject().put("op", "status").put("job", job);
  }

  /**
   * The coordinator's answer to {@code request} about job {@code job}; its NOT_FOUND becomes a 404 whose remedy
   * names this API's list of jobs (the coordinator's own names the event-bus request).
   */
  static Future<JsonObject> askAbout(RoutingContext ctx, ApiSupport support, String job, JsonObject request) {
    return ask(ctx, support, request).recover(t -> Future.failedFuture(
        t instanceof ActorException e && e.code() == ErrorCode.NOT_FOUND
            ? HttpFailure.notFound("no job '" + job + "' on any coordinator; GET " + PATH
                + " lists the running jobs and the last ones that ended")
            : t));
  }

  private static Future<JsonObject> ask(RoutingContext ctx, ApiSupport support, JsonObject request) {
    return support.request(ctx, PipelineProtocol.ADDRESS, request).map(JobRoutes::object);
  }

  /** The coordinator's reply as a JSON object; anything else is a bug (500). */
  static JsonObject object(Object reply) {
    if (reply instanceof JsonObject j) {
      return j;
    }
    throw new IllegalStateException("the coordinator at '" + PipelineProtocol.ADDRESS + "' answered "
        + (reply == null ? "nothing" : reply.getClass().getSimpleName()) + " instead of a JSON object");
  }

  /** The job id of the path; 404 for one that cannot name a job. */
  static String jobId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!PipelineProtocol.validId(id)) {
      throw HttpFailure.notFound("no job '" + id + "': job ids are 1 to 64 letters, digits, '.', '_' or '-'; "
          + "GET " + PATH + " lists the jobs");
    }
    return id;
  }

  /** The run request of a {@code POST} body; 422 naming the key for a body that is not one. */
  static PipelineProtocol.Run runRequest(Object body) {
    if (!(body instanceof JsonObject j)) {
      throw unprocessable("POST " + PATH + " expects a JSON object such as {\"pipeline\": \"churn-demo\"}, not "
          + kind(body));
    }
    for (String key : j.fieldNames()) {
      if (!RUN_KEYS.contains(key)) {
        throw unprocessable("POST " + PATH + ": unknown key '" + key + "'; the keys are " + RUN_KEYS);
      }
      if (key.equals("partitions") && !(j.getValue(key) instanceof String || j.getValue(key) instanceof Number)) {
        throw unprocessable("POST " + PATH + ": 'partitions' is " + kind(j.getValue(key))
            + " but must be a number or \"auto\"");
      }
      if (!key.equals("partitions") && !(j.getValue(key) instanceof String)) {
        throw unprocessable("POST " + PATH + ": '" + key + "' is " + kind(j.getValue(key)) + " but must be a string");
      }
    }
    if (!j.containsKey("pipeline")) {
      throw unprocessable("POST " + PATH + ": 'pipeline' is missing; name a pipeline of the coordinator's "
          + "pipelines directory, e.g. {\"pipeline\": \"churn-demo\"}");
    }
    JsonObject overrides = j.copy();
    overrides.remove("pipeline");
    String job = (String) overrides.remove("job");
    return new PipelineProtocol.Run(j.getString("pipeline"), null, job, overrides);
  }

  private static HttpFailure unprocessable(String message) {
    return new HttpFailure(422, ErrorCode.BAD_REQUEST, message);
  }

  private static String kind(Object v) {
    return v == null ? "null" : v instanceof JsonArray ? "a JSON array" : v instanceof JsonObject ? "a JSON object"
        : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : "a number";
  }

  /**
   * A job as the API shows it: the coordinator's progress or report, its links, and once it ended the
   * evaluation metrics of its training and scoring under {@code metrics}.
   */
  static JsonObject view(JsonObject status) {
    JsonObject v = status.copy();
    v.remove("final");
    String job = v.getString("job");
    if (!"running".equals(v.getString("state"))) {
      JsonObject metrics = new JsonObject();
      putMetrics(metrics, "training", v);
      putMetrics(metrics, "scoring", v);
      v.put("metrics", metrics);
    }
    return v.put("links", links(job));
  }

  private static void putMetrics(JsonObject metrics, String part, JsonObject report) {
    JsonObject m = JobReport.evaluationMetrics(report, part);
    if (m != null) {
      metrics.put(part, m);
    }
  }

  static JsonObject links(String job) {
    return new JsonObject().put("self", self(job)).put("events", self(job) + "/events");
  }

  private static String self(String job) {
    return PATH + "/" + job;
  }
}
