package io.busflow.actor;

import io.busflow.actor.internal.ActorRegistry;
import io.busflow.actor.internal.NodeDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A read-only view of busflow's actors, for monitoring: the instances running on this node, and a snapshot
 * of every member of the cluster. This is what the HTTP bridge, the metrics and health checks read; the
 * bookkeeping behind it is internal.
 *
 * <p>Guarantees: safe from any thread; reading never blocks; the view follows instances as they start, stop
 * and restart.
 */
public final class NodeActors {

  /** Addresses under this prefix are the node directory's own (one per member), never an actor's. */
  public static final String DIRECTORY_PREFIX = NodeDirectory.PREFIX;

  private final ActorRegistry registry;

  private NodeActors(ActorRegistry registry) {
    this.registry = registry;
  }

  /** The actors of the node {@code vertx} runs. */
  public static NodeActors of(Vertx vertx) {
    return new NodeActors(ActorRegistry.of(vertx));
  }

  /** The key naming one actor (all its instances) in {@link #onGone} and {@link #expected}. */
  public static String key(String name, String address) {
    return NodeDirectory.key(name, address);
  }

  /**
   * Every member's actors, as {@code GET /api/v1/actors} shows them; a member that does not answer within
   * {@code wait} is listed with a TIMEOUT error instead of failing the whole answer.
   */
  public static Future<JsonObject> describeCluster(Vertx vertx, Duration wait) {
    return NodeDirectory.describeCluster(vertx, wait);
  }

  /** The instances running now. */
  public List<ActorStats> instances() {
    return List.copyOf(registry.instances());
  }

  /** Calls {@code listener} with every instance running now and every one started later. */
  public void forEachInstance(Consumer<ActorStats> listener) {
    registry.forEachInstance(listener::accept);
  }

  /** Calls {@code listener} with an actor's {@link #key} when one of its instances stops. */
  public void onGone(Consumer<String> listener) {
    registry.onGone(listener);
  }

  /** Keys of the actors deployed and not undeployed, also while one has no instance running (a restart). */
  public List<String> expected() {
    return registry.expected();
  }

  /** How many times the actor of {@code key} was restarted. */
  public long restarts(String key) {
    return registry.restarts(key);
  }

  /** This node's name, as metrics label it. */
  public String nodeName() {
    return registry.nodeName();
  }
}
