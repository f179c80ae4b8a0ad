package io.busflow.http;

import io.busflow.actor.ActorStats;
import io.busflow.actor.Actors;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.NodeActors;
import io.busflow.actor.NodeHealth;
import io.busflow.config.ActorConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} and {@code /health/ready}, served by vertx-health-check's {@link HealthCheckHandler}:
 * 200 when every procedure is UP, 503 when one is DOWN. Liveness: 200 {@code {"status":"UP"}} while the server
 * answers. Readiness: the checks {@code node} (not stopping, not marked failed through
 * {@link NodeHealth#markFailed}), {@code actors} (every configured actor has a registered instance),
 * {@code cluster} (joined, when clustered) and {@code eventLoops} (every Vert.x event loop — the actors' and
 * the HTTP server's — runs a tiny task within {@link EventLoopProbe#BOUND_MS}); the body keeps busflow's shape,
 * {@code {"status","node","checks":{…}}}, with an error naming the first failing check when DOWN.
 */
final class Health {

  /** The order in which failing checks are named. */
  private static final List<String> ORDER = List.of("node", "actors", "cluster", "eventLoops");
  /** vertx-health-check's own deadline per procedure; each of ours answers well before it. */
  private static final long PROCEDURE_TIMEOUT_MS = EventLoopProbe.BOUND_MS + 2_000;

  private final Vertx vertx;
  private final NodeActors registry;
  private final List<ActorConfig> configured;
  private final BooleanSupplier stopping;
  private final HealthChecks live;
  private final HealthChecks ready;

  Health(Vertx vertx, List<ActorConfig> configured, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.registry = NodeActors.of(vertx);
    this.configured = List.copyOf(configured);
    this.stopping = stopping;
    this.live = HealthChecks.create(vertx).register("server", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx)
        .register("node", PROCEDURE_TIMEOUT_MS, p -> p.complete(nodeCheck()))
        .register("actors", PROCEDURE_TIMEOUT_MS, p -> p.complete(actorsCheck()))
        .register("cluster", PROCEDURE_TIMEOUT_MS, p -> p.complete(clusterCheck()))
        .register("eventLoops", PROCEDURE_TIMEOUT_MS, this::eventLoopsCheck);
  }

  void live(RoutingContext ctx) {
    HealthCheckHandler.createWithHealthChecks(live)
        .resultMapper(r -> Future.succeededFuture(new Report(r, new JsonObject().put("status", status(r)))))
        .handle(ctx);
  }

  void ready(RoutingContext ctx) {
    String cid = Correlation.of(ctx);
    HealthCheckHandler.createWithHealthChecks(ready)
        .resultMapper(r -> Future.succeededFuture(new Report(r, readyBody(r, cid))))
        .handle(ctx);
  }

  private JsonObject readyBody(CheckResult result, String cid) {
    JsonObject checks = new JsonObject();
    JsonObject failing = null;
    for (String id : ORDER) {
      JsonObject data = dataOf(result, id);
      checks.put(id, data.getValue("check"));
      if (failing == null && data.containsKey("code")) {
        failing = data;
      }
    }
    JsonObject body = new JsonObject().put("status", status(result)).put("node", registry.nodeName())
        .put("checks", checks);
    if (failing != null) {
      ErrorCode code = ErrorCode.valueOf(failing.getString("code"));
      body.mergeIn(HttpErrors.body(new HttpErrors.HttpError(503, code, failing.getString("message")), cid));
    }
    return body;
  }

  /** One procedure's data; one that failed on its own (timed out) reads as a failure naming it. */
  private static JsonObject dataOf(CheckResult result, String id) {
    for (CheckResult c : result.getChecks() == null ? List.<CheckResult>of() : result.getChecks()) {
      if (id.equals(c.getId()) && c.getData() != null && c.getData().containsKey("check")) {
        return c.getData();
      }
    }
    return down(new JsonObject().put("ready", false), ErrorCode.TIMEOUT, "the readiness check '" + id
        + "' did not answer within " + PROCEDURE_TIMEOUT_MS + " ms; the node is overloaded or stuck — see its log")
        .getData();
  }

  private static String status(CheckResult r) {
    return CheckResult.isUp(r) ? "UP" : "DOWN";
  }

  private Status nodeCheck() {
    boolean stop = stopping.getAsBoolean();
    String failure = NodeHealth.failure().orElse(null);
    JsonObject check = new JsonObject().put("stopping", stop).put("failed", failure != null)
        .put("ready", !stop && failure == null);
    if (stop) {
      return down(check, ErrorCode.STOPPING, "the node is stopping and takes no new work");
    }
    if (failure != null) {
      return down(check.put("reason", failure), ErrorCode.ACTOR_FAILED, "the node failed (" + failure
          + ") and is going down; it takes no new work — see its log, and start it again");
    }
    return up(check);
  }

  private Status actorsCheck() {
    List<ActorStats> running = registry.instances();
    JsonArray out = new JsonArray();
    String problem = null;
    for (ActorConfig a : configured) {
      long n = running.stream().filter(c -> c.name().equals(a.name()) && c.address().equals(a.address())).count();
      int instances = Actors.instances(vertx, a);
      out.add(new JsonObject().put("name", a.name()).put("address", a.address())
          .put("configured", instances).put("running", n).put("ready", n > 0));
      if (n == 0 && problem == null) {
        problem = "actor '" + a.name() + "' at '" + a.address() + "' has no running instance (0 of "
            + instances + "); it may be starting or restarting — see the node's log";
      }
    }
    return problem == null ? up(out) : down(out, ErrorCode.NO_ACTOR, problem);
  }

  private Status clusterCheck() {
    boolean clustered = vertx.isClustered();
    boolean joined = clustered && vertx instanceof VertxInternal v && v.clusterManager() != null
        && v.clusterManager().isActive();
    JsonObject check = new JsonObject().put("clustered", clustered).put("joined", joined)
        .put("ready", !clustered || joined);
    return !clustered || joined ? up(check) : down(check, ErrorCode.NO_ACTOR,
        "the node is not joined to its cluster; check conf/cluster.xml and that the other members are up");
  }

  private void eventLoopsCheck(Promise<Status> promise) {
    EventLoopProbe.stuck(vertx).onComplete(ar -> promise.complete(eventLoopsStatus(ar.result())));
  }

  private static Status eventLoopsStatus(EventLoopProbe.Result r) {
    JsonObject check = new JsonObject().put("loops", r.loops()).put("stuck", new JsonArray(r.stuck()))
        .put("boundMs", EventLoopProbe.BOUND_MS).put("ready", r.stuck().isEmpty());
    return r.stuck().isEmpty() ? up(check) : down(check, ErrorCode.TIMEOUT, "event loop(s) " + r.stuck() + " of "
        + r.loops() + " did not run a task within " + EventLoopProbe.BOUND_MS + " ms: something blocks them — "
        + "see the blocked-thread warnings in the node's log");
  }

  private static Status up(Object check) {
    return Status.OK(new JsonObject().put("check", check));
  }

  private static Status down(Object check, ErrorCode code, String message) {
    return Status.KO(new JsonObject().put("check", check).put("code", code.name()).put("message", message));
  }

  /** vertx-health-check's result, rendered as busflow's body; its status makes the handler answer 200 or 503. */
  private static final class Report extends CheckResult {
    private final JsonObject body;

    Report(CheckResult result, JsonObject body) {
      this.body = body;
      Status status = CheckResult.isUp(result) ? Status.OK() : Status.KO();
      setStatus(status);
      // one summary check: a DOWN procedure is 503 (never vertx-health-check's 500), and never 204
      setChecks(List.of(new CheckResult().setId("busflow").setStatus(status)));
    }

    @Override
    public JsonObject toJson() {
      return body;
    }
  }
}
