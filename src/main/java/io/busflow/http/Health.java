package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.busflow.actor.internal.ActorCounters;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}: 200 while the server answers. {@code /health/ready}: 200 when every configured actor
 * has at least one registered instance, the node is not stopping and, when clustered, the cluster is joined;
 * otherwise 503 with the failing checks and an error naming the first.
 */
final class Health {

  private final Vertx vertx;
  private final ActorRegistry registry;
  private final List<ActorConfig> configured;
  private final BooleanSupplier stopping;

  Health(Vertx vertx, List<ActorConfig> configured, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.registry = ActorRegistry.of(vertx);
    this.configured = List.copyOf(configured);
    this.stopping = stopping;
  }

  void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  void ready(RoutingContext ctx) {
    JsonArray actors = actorChecks();
    JsonObject cluster = clusterCheck();
    String problem = firstProblem(actors, cluster);
    JsonObject body = new JsonObject().put("status", problem == null ? "UP" : "DOWN")
        .put("node", registry.nodeName())
        .put("checks", new JsonObject().put("actors", actors).put("cluster", cluster));
    if (problem != null) {
      ErrorCode code = stopping.getAsBoolean() ? ErrorCode.STOPPING : ErrorCode.NO_ACTOR;
      body.mergeIn(HttpErrors.body(new HttpErrors.HttpError(503, code, problem), Correlation.of(ctx)));
    }
    ctx.response().setStatusCode(problem == null ? 200 : 503);
    ctx.json(body);
  }

  private JsonArray actorChecks() {
    List<ActorCounters> running = registry.instances();
    JsonArray out = new JsonArray();
    for (ActorConfig a : configured) {
      long n = running.stream().filter(c -> c.name().equals(a.name()) && c.address().equals(a.address())).count();
      out.add(new JsonObject().put("name", a.name()).put("address", a.address())
          .put("configured", a.instances()).put("running", n).put("ready", n > 0));
    }
    return out;
  }

  private JsonObject clusterCheck() {
    boolean clustered = vertx.isClustered();
    boolean joined = clustered && vertx instanceof VertxInternal v && v.clusterManager() != null
        && v.clusterManager().isActive();
    return new JsonObject().put("clustered", clustered).put("joined", joined).put("ready", !clustered || joined);
  }

  private String firstProblem(JsonArray actors, JsonObject cluster) {
    if (stopping.getAsBoolean()) {
      return "the node is stopping and takes no new work";
    }
    for (int i = 0; i < actors.size(); i++) {
      JsonObject a = actors.getJsonObject(i);
      if (!a.getBoolean("ready")) {
        return "actor '" + a.getString("name") + "' at '" + a.getString("address") + "' has no running instance "
            + "(0 of " + a.getInteger("configured") + "); it may be starting or restarting — see the node's log";
      }
    }
    return cluster.getBoolean("ready") ? null
        : "the node is not joined to its cluster; check conf/cluster.xml and that the other members are up";
  }
}
