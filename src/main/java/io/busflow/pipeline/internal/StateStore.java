package io.busflow.pipeline.internal;

import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Fitted states (preprocessors, models) known to one node, by id, shared by every instance of a stage on
 * that node, so that a restarted instance or a second instance finds what another one fitted or loaded.
 * Holds at most {@value #CAPACITY} states per kind, dropping the least recently used. Thread-safe.
 */
public final class StateStore {

  public static final int CAPACITY = 256;

  private static final Map<Vertx, Map<String, StateStore>> STORES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, Map<String, Object>> states = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
      return size() > CAPACITY;
    }
  };

  private StateStore() {}

  /** The store of {@code kind} ("preprocessor", "model") on the node of {@code vertx}. */
  public static StateStore of(Vertx vertx, String kind) {
    synchronized (STORES) {
      return STORES.computeIfAbsent(vertx, v -> new LinkedHashMap<>())
          .computeIfAbsent(kind, k -> new StateStore());
    }
  }

  /** Remembers {@code state} under {@code id}; the map must not be changed afterwards. */
  public synchronized void put(String id, Map<String, Object> state) {
    states.put(id, state);
  }

  /** The state stored under {@code id}, or null. */
  public synchronized Map<String, Object> get(String id) {
    return states.get(id);
  }
}
