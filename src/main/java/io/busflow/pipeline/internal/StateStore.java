package io.busflow.pipeline.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.MemberWatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fitted states (preprocessors, models) known to one node, by id, shared by every instance of a stage on
 * that node, so that a restarted instance or a second instance finds what another one fitted or loaded.
 * Holds at most {@code storeStates} states and about {@code storeBytes} bytes (estimated) per kind (the stage
 * actor's options, defaults {@value #CAPACITY} and {@value #BUDGET_BYTES}), dropping the least recently used; a
 * single state larger than the budget is refused. Thread-safe.
 *
 * <p>States travel by reference: a request names a state by id and by the cluster node that has it (its
 * {@linkplain #origin origin}). On a clustered node every store answers the other nodes at
 * {@code busflow.nodes.<nodeId>.states} ({@link #serve}), and a stage that lacks a referenced state
 * {@linkplain #fetch fetches} it from its origin into this node's store: once per node, however many instances
 * and requests ask at the same time.
 */
public final class StateStore {

  public static final int CAPACITY = 256;
  /** The estimated bytes of states kept per kind and node: 64 MB. */
  public static final long BUDGET_BYTES = 64L * 1024 * 1024;

  private static final Map<Vertx, Map<String, StateStore>> STORES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final String PREFIX = "busflow.nodes.";
  private static final long FETCH_TIMEOUT_MS = 60_000;
  private static final Map<Vertx, MessageConsumer<JsonObject>> SERVING =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final String kind;
  private final BoundedCache<Map<String, Object>> states;
  private final Map<String, Future<Map<String, Object>>> fetching = new ConcurrentHashMap<>();
  private final AtomicLong fetched = new AtomicLong();
  private final AtomicLong served = new AtomicLong();

  private StateStore(String kind) {
    this.kind = kind;
    states = new BoundedCache<>("the node's " + kind + " store", "actors.<name>.options.storeBytes", CAPACITY,
        BUDGET_BYTES);
  }

  /** The store of {@code kind} ("preprocessor", "model") on the node of {@code vertx}. */
  public static StateStore of(Vertx vertx, String kind) {
    synchronized (STORES) {
      return STORES.computeIfAbsent(vertx, v -> new LinkedHashMap<>())
          .computeIfAbsent(kind, StateStore::new);
    }
  }

  /** Sets the store's bounds from the options at {@code path} of a stage ({@code storeStates}, {@code storeBytes}). */
  public StateStore limit(StageOptions options, String path) {
    states.limit(options.storeStates(), options.storeBytes(), path + ".storeBytes");
    return this;
  }

  /**
   * Remembers {@code state} under {@code id}; the map must not be changed afterwards. A state larger than the
   * whole budget is refused ({@link IllegalArgumentException} naming the id, its size and the bound).
   */
  public void put(String id, Map<String, Object> state) {
    states.put(id, state, estimate(state));
  }

  /** The estimated bytes held. */
  public long bytes() {
    return states.bytes();
  }

  /** A rough heap size of a JSON-like value: strings 2 bytes a character, 48 bytes per entry or number. */
  public static long estimate(Object v) {
    if (v instanceof String str) {
      return 48 + 2L * str.length();
    }
    if (v instanceof Map<?, ?> m) {
      long n = 48;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n += estimate(e.getKey()) + estimate(e.getValue());
      }
      return n;
    }
    if (v instanceof Iterable<?> it) {
      long n = 48;
      for (Object o : it) {
        n += estimate(o);
      }
      return n;
    }
    if (v instanceof double[] d) {
      return 16 + 8L * d.length;
    }
    return 48;
  }

  /** The state stored under {@code id}, or null. */
  public Map<String, Object> get(String id) {
    return states.get(id);
  }

  /** How many states this node's store of this kind has fetched from other nodes. */
  public long fetched() {
    return fetched.get();
  }

  /** How many states this node's store of this kind has sent to other nodes. */
  public long served() {
    return served.get();
  }

  /** This node's id in the cluster, what references to the states stored here name; null when not clustered. */
  public static String origin(Vertx vertx) {
    ClusterManager cluster = clusterManager(vertx);
    return cluster == null ? null : cluster.getNodeId();
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx.isClustered() && vertx instanceof VertxInternal v ? v.clusterManager() : null;
  }

  static String address(String nodeId) {
    return PREFIX + nodeId + ".states";
  }

  /**
   * On a clustered node: makes its stores answer the other nodes ({@code {"kind","id"}} → the state's JSON, or
   * NOT_FOUND), unless they do already. The consumer belongs to the caller's context (a stage instance's
   * start); completes when it is registered.
   */
  public static Future<Void> serve(Vertx vertx) {
    String nodeId = origin(vertx);
    if (nodeId == null) {
      return Future.succeededFuture();
    }
    synchronized (SERVING) {
      MessageConsumer<JsonObject> current = SERVING.get(vertx);
      if (current != null && current.isRegistered()) {
        return Future.succeededFuture();
      }
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address(nodeId), m -> answer(vertx, m));
      SERVING.put(vertx, consumer);
      return consumer.completion();
    }
  }

  private static void answer(Vertx vertx, Message<JsonObject> m) {
    StateStore store = of(vertx, m.body().getString("kind", ""));
    String id = m.body().getString("id");
    Map<String, Object> state = id == null ? null : store.get(id);
    if (state == null) {
      m.fail(ErrorCode.NOT_FOUND.wire(), store.kind + " '" + id + "' is no longer in node '" + origin(vertx)
          + "''s store");
      return;
    }
    vertx.<String>executeBlocking(() -> JsonShapes.toJson(state).encode(), false).onComplete(ar -> {
      if (ar.succeeded()) {
        store.served.incrementAndGet();
        m.reply(ar.result());
      } else {
        m.fail(ErrorCode.ACTOR_FAILED.wire(), "cannot send " + store.kind + " '" + id + "': " + ar.cause());
      }
    });
  }

  /**
   * Makes sure this node's store has {@code id}: at once when it has; otherwise fetched from the store of node
   * {@code from} (one fetch per node and id at a time; the others wait for it). Completes on {@code context}.
   * Fails NOT_FOUND when it cannot be had ({@code from} null or this node, the origin gone or without it).
   */
  public Future<Void> fetch(Vertx vertx, Context context, String id, String from) {
    if (states.get(id) != null) {
      return Future.succeededFuture();
    }
    if (from == null || from.equals(origin(vertx))) {
      return Future.failedFuture(notFound(id, "it was never on this node"));
    }
    Promise<Map<String, Object>> mine = Promise.promise();
    Future<Map<String, Object>> shared = fetching.putIfAbsent(id, mine.future());
    if (shared == null) {
      shared = mine.future();
      start(vertx, id, from, mine);
    }
    return Future.fromCompletionStage(shared.toCompletionStage(), context)
        .<Void>mapEmpty()
        .recover(t -> Future.failedFuture(t instanceof IllegalArgumentException ? t
            : notFound(id, "fetching it from node '" + from + "' failed: " + t.getMessage())));
  }

  /**
   * Asks node {@code from} for {@code id} into {@code mine}. Vert.x fails no request to a member that died (it would
   * wait out the whole timeout), so a fetch from a node that is gone, or that leaves meanwhile, fails at once.
   */
  private void start(Vertx vertx, String id, String from, Promise<Map<String, Object>> mine) {
    mine.future().onComplete(ar -> fetching.remove(id));
    MemberWatch watch = MemberWatch.start(vertx, left -> {
      if (left.contains(from)) {
        mine.tryFail("node '" + from + "' left the cluster");
      }
    });
    mine.future().onComplete(ar -> watch.stop());
    if (!watch.isMember(from)) {
      mine.tryFail("node '" + from + "' is no longer in the cluster");
      return;
    }
    vertx.eventBus().<String>request(address(from), new JsonObject().put("kind", kind).put("id", id),
            new DeliveryOptions().setSendTimeout(FETCH_TIMEOUT_MS))
        .compose(reply -> vertx.executeBlocking(() -> {
          Map<String, Object> state = JsonShapes.toMap(new JsonObject(reply.body()));
          put(id, state);
          fetched.incrementAndGet();
          return state;
        }, false))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            mine.tryComplete(ar.result());
          } else {
            mine.tryFail(ar.cause());
          }
        });
  }

  private ActorException notFound(String id, String why) {
    return ActorException.notFound(kind + " '" + id + "' is not loaded on this node (" + why + "); load it, or "
        + "send its state with the request");
  }
}
