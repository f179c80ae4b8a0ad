package io.busflow.actor.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The actor instances running in one Vert.x instance, for the HTTP bridge and metrics. */
public final class ActorRegistry implements Shareable {

  private static final String MAP = "busflow.registry";

  private final List<ActorCounters> instances = new CopyOnWriteArrayList<>();
  private final List<Consumer<ActorCounters>> onAdd = new CopyOnWriteArrayList<>();
  private volatile String nodeName = "local";

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
    instances.remove(c);
  }

  public List<ActorCounters> instances() {
    return List.copyOf(instances);
  }

  /** Calls {@code listener} for every instance there is and every one added later. */
  public void forEachInstance(Consumer<ActorCounters> listener) {
    onAdd.add(listener);
    instances.forEach(listener);
  }

  public String nodeName() {
    return nodeName;
  }

  public void nodeName(String name) {
    this.nodeName = name;
  }
}
