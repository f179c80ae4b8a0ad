package io.busflow.actor.internal;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The actor instances running in one Vert.x instance, and the supervised actors deployed there (listed even
 * while none of their instances runs), for the HTTP bridge, metrics and the cluster's directory of actors
 * ({@link NodeDirectory}).
 */
public final class ActorRegistry implements Shareable {

  private static final String MAP = "busflow.registry";

  private final List<ActorCounters> instances = new CopyOnWriteArrayList<>();
  private final List<String> expected = new CopyOnWriteArrayList<>();
  private final List<Consumer<ActorCounters>> onAdd = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> restarts = new ConcurrentHashMap<>();
  /** Per actor ({@code name@address}), the summed counts of its instances that went away. */
  private final Map<String, ActorCounters> retired = new ConcurrentHashMap<>();
  private final List<Consumer<String>> onGone = new CopyOnWriteArrayList<>();
  private volatile String nodeName = "local";
  /** Where this node answers the cluster's directory; see {@link NodeDirectory#serve}. */
  MessageConsumer<Object> directory;

  /** The registry of {@code vertx}, created on first use. */
  public static ActorRegistry of(Vertx vertx) {
    var map = vertx.sharedData().<String, ActorRegistry>getLocalMap(MAP);
    ActorRegistry r = map.get("instance");
    if (r == null) {
      map.putIfAbsent("instance", new ActorRegistry());
      r = map.get("instance");
    }
    return r;
  }

  public void add(ActorCounters c) {
    instances.add(c);
    onAdd.forEach(l -> l.accept(c));
  }

  public void remove(ActorCounters c) {
    if (instances.remove(c)) {
      retired.computeIfAbsent(NodeDirectory.key(c.name(), c.address()),
          k -> new ActorCounters(c.name(), c.address(), c.threading(), "retired", () -> 0)).absorb(c);
    }
    gone(NodeDirectory.key(c.name(), c.address()));
  }

  /**
   * Tells the listeners that an instance of {@code key} went away; once no instance is left and none is
   * expected (a job's cursor, a fit session), its retired counts go too, so nothing grows per job.
   */
  private void gone(String key) {
    if (!expected.contains(key) && instances.stream().noneMatch(i -> NodeDirectory.key(i.name(), i.address()).equals(key))) {
      retired.remove(key);
    }
    onGone.forEach(l -> l.accept(key));
  }

  /** The summed counts of the instances of actor {@code key} ({@code name@address}) that went away, if any. */
  public ActorCounters retired(String key) {
    return retired.get(key);
  }

  public List<ActorCounters> instances() {
    return List.copyOf(instances);
  }

  /** A supervised actor {@code name} at {@code address} is deployed here: list it, also with no instance running. */
  public void expect(String name, String address) {
    expected.add(NodeDirectory.key(name, address));
  }

  /** One deployment of {@code name} at {@code address} is gone. */
  public void forget(String name, String address) {
    String key = NodeDirectory.key(name, address);
    expected.remove(key);
    gone(key);
  }

  /** The {@code name@address} keys of the supervised actors deployed here, in deployment order. */
  public List<String> expected() {
    return List.copyOf(expected);
  }

  /** The supervisor restarts an instance of {@code name} at {@code address} after a crash. */
  public void restarted(String name, String address) {
    restarts.computeIfAbsent(NodeDirectory.key(name, address), k -> new AtomicLong()).incrementAndGet();
  }

  /** Supervised restarts of the instances of the actor {@code key} ({@code name@address}) on this node. */
  public long restarts(String key) {
    AtomicLong n = restarts.get(key);
    return n == null ? 0 : n.get();
  }

  /** Calls {@code listener} for every instance there is and every one added later. */
  public void forEachInstance(Consumer<ActorCounters> listener) {
    onAdd.add(listener);
    instances.forEach(listener);
  }

  /**
   * Calls {@code listener} with the {@code name@address} key of an actor whenever one of its instances stops or
   * its deployment is forgotten: it may then have no instance left and none expected (see {@link #expected()}).
   */
  public void onGone(Consumer<String> listener) {
    onGone.add(listener);
  }

  public String nodeName() {
    return nodeName;
  }

  public void nodeName(String name) {
    this.nodeName = name;
  }
}
