package io.busflow.actor.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors of every node. Each node describes its own — one entry per actor ({@code name@address}): its
 * running instances, summed counters and mailbox depth, with the node's name and cluster node id. On a
 * clustered Vert.x instance every registry answers at {@code busflow.nodes.<nodeId>.actors} (an internal
 * address, never reachable from outside), and {@link #describeCluster} asks each member the cluster manager
 * lists, with a short timeout: a member that does not answer is listed with its error, one without busflow
 * with no actors; nothing waits longer than the timeout.
 */
public final class NodeDirectory {

  /** The prefix of the nodes' internal addresses. */
  public static final String PREFIX = "busflow.nodes.";
  private static final Logger LOG = LoggerFactory.getLogger(NodeDirectory.class);

  private NodeDirectory() {}

  /** Where the node {@code nodeId} (the cluster manager's id) describes its actors. */
  static String address(String nodeId) {
    return PREFIX + nodeId + ".actors";
  }

  /** The key that groups the instances of one actor: {@code name@address}. */
  public static String key(String name, String address) {
    return name + "@" + address;
  }

  /**
   * On a clustered {@code vertx}: makes this node answer the other members' requests for its actors, unless it
   * does already. The answering consumer belongs to the caller's context (the supervised deployments call
   * this when they deploy, so it lives as long as whatever deploys actors, and comes back with the next
   * deployment if that goes).
   */
  public static void serve(Vertx vertx) {
    ClusterManager cluster = clusterManager(vertx);
    if (cluster == null) {
      return;
    }
    ActorRegistry registry = ActorRegistry.of(vertx);
    String nodeId = cluster.getNodeId();
    synchronized (registry) {
      if (registry.directory == null || !registry.directory.isRegistered()) {
        registry.directory = vertx.eventBus().consumer(address(nodeId), m -> answer(m, registry, nodeId));
      }
    }
  }

  private static void answer(Message<Object> m, ActorRegistry registry, String nodeId) {
    try {
      m.reply(describe(registry, nodeId));
    } catch (RuntimeException e) {
      LOG.error("cannot describe the actors of node '{}'", registry.nodeName(), e);
      m.fail(ErrorCode.ACTOR_FAILED.wire(), "node '" + registry.nodeName() + "' cannot describe its actors ("
          + e + "); see its log");
    }
  }

  /**
   * The actors of every member of the cluster (of this node only when not clustered):
   * {@code {"node": this node's name, "nodes": [{"node","nodeId","actors": count} or {"nodeId","error"}],
   * "actors": [{"name","address","node","nodeId","threading","instances","mailboxDepth","throughputPerSecond",
   * "counters","restarts"}]}}: {@code throughputPerSecond} is requests processed per second over the last
   * {@value ActorCounters#WINDOW_S} s, {@code restarts} the supervised restarts since the node started;
   * {@code counters} include the counts of instances that went away.
   * Never fails; each member gets {@code timeout} to answer.
   */
  public static Future<JsonObject> describeCluster(Vertx vertx, Duration timeout) {
    ActorRegistry self = ActorRegistry.of(vertx);
    ClusterManager cluster = clusterManager(vertx);
    if (cluster == null) {
      return Future.succeededFuture(combine(self.nodeName(), List.of(describe(self, null))));
    }
    String me = cluster.getNodeId();
    List<Future<JsonObject>> all = new ArrayList<>();
    all.add(Future.succeededFuture(describe(self, me)));
    cluster.getNodes().stream().filter(id -> !id.equals(me)).forEach(id -> all.add(ask(vertx, id, timeout)));
    return Future.join(all).map(cf -> combine(self.nodeName(), cf.list()));
  }

  private static Future<JsonObject> ask(Vertx vertx, String nodeId, Duration timeout) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(Math.max(1, timeout.toMillis()));
    return vertx.eventBus().request(address(nodeId), new JsonObject(), opts)
        .map(m -> (JsonObject) m.body())
        .recover(t -> Future.succeededFuture(unanswered(nodeId, ActorException.of(t, address(nodeId)), timeout)));
  }

  private static JsonObject unanswered(String nodeId, ActorException e, Duration timeout) {
    JsonObject node = new JsonObject().put("nodeId", nodeId);
    return switch (e.code()) {
      case NO_ACTOR -> node.put("actors", new JsonArray()).put("note", "this cluster member runs no busflow actors");
      case TIMEOUT -> node.put("error", error(e.code(), "cluster member " + nodeId + " did not list its actors within "
          + timeout.toMillis() + " ms; it may be overloaded or leaving the cluster — retry, or see its log"));
      default -> node.put("error", error(e.code(), "cluster member " + nodeId + " could not list its actors: "
          + e.getMessage()));
    };
  }

  private static JsonObject error(ErrorCode code, String message) {
    return new JsonObject().put("code", code.name()).put("message", message);
  }

  private static JsonObject combine(String self, List<JsonObject> described) {
    JsonArray nodes = new JsonArray();
    JsonArray actors = new JsonArray();
    for (JsonObject d : described) {
      JsonArray mine = d.getJsonArray("actors", new JsonArray());
      JsonObject node = d.copy();
      node.remove("actors");
      nodes.add(node.containsKey("error") ? node : node.put("actors", mine.size()));
      actors.addAll(mine);
    }
    return new JsonObject().put("node", self).put("nodes", nodes).put("actors", actors);
  }

  /** This node: {@code {"node","nodeId","actors":[…]}} ({@code nodeId} null when not clustered). */
  public static JsonObject describe(ActorRegistry registry, String nodeId) {
    JsonArray actors = new JsonArray();
    groups(registry).forEach((key, group) -> actors.add(entry(key, group, registry.nodeName(), nodeId)
        .put("counters", sum(withRetired(group, registry.retired(key)))).put("restarts", registry.restarts(key))));
    return new JsonObject().put("node", registry.nodeName()).put("nodeId", nodeId).put("actors", actors);
  }

  /** Running instances per actor ({@code name@address}), deployed actors first, in deployment order. */
  private static Map<String, List<ActorCounters>> groups(ActorRegistry registry) {
    Map<String, List<ActorCounters>> out = new LinkedHashMap<>();
    registry.expected().forEach(k -> out.put(k, new ArrayList<>()));
    for (ActorCounters c : registry.instances()) {
      out.computeIfAbsent(key(c.name(), c.address()), k -> new ArrayList<>()).add(c);
    }
    return out;
  }

  private static JsonObject entry(String key, List<ActorCounters> group, String node, String nodeId) {
    int at = key.indexOf('@');
    return new JsonObject()
        .put("name", key.substring(0, at))
        .put("address", key.substring(at + 1))
        .put("node", node)
        .put("nodeId", nodeId)
        .put("threading", group.isEmpty() ? null : group.get(0).threading().toLowerCase().replace('_', '-'))
        .put("instances", group.size())
        .put("mailboxDepth", group.stream().mapToInt(ActorCounters::mailboxDepth).sum())
        .put("throughputPerSecond", group.stream().mapToDouble(ActorCounters::throughput).sum());
  }

  private static List<ActorCounters> withRetired(List<ActorCounters> group, ActorCounters retired) {
    if (retired == null) {
      return group;
    }
    List<ActorCounters> all = new ArrayList<>(group);
    all.add(retired);
    return all;
  }

  private static JsonObject sum(List<ActorCounters> group) {
    long received = 0;
    long replied = 0;
    long processed = 0;
    long crashes = 0;
    double totalMs = 0;
    double maxMs = 0;
    JsonObject failed = new JsonObject();
    for (ActorCounters c : group) {
      JsonObject j = c.toJson();
      received += j.getLong("received");
      replied += j.getLong("replied");
      processed += j.getLong("processed");
      crashes += j.getLong("crashes");
      totalMs += j.getDouble("meanProcessingMs") * j.getLong("processed");
      maxMs = Math.max(maxMs, j.getDouble("maxProcessingMs"));
      c.failures().forEach((code, n) -> failed.put(code.name(), failed.getLong(code.name(), 0L) + n));
    }
    return new JsonObject().put("received", received).put("replied", replied).put("failed", failed)
        .put("processed", processed).put("meanProcessingMs", processed == 0 ? 0.0 : totalMs / processed)
        .put("maxProcessingMs", maxMs).put("crashes", crashes);
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx.isClustered() && vertx instanceof VertxInternal v ? v.clusterManager() : null;
  }
}
