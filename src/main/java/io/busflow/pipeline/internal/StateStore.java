package io.busflow.pipeline.internal;

import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Fitted states (preprocessors, models) known to one node, by id, shared by every instance of a stage on
 * that node, so that a restarted instance or a second instance finds what another one fitted or loaded.
 * Holds at most {@code storeStates} states and about {@code storeBytes} bytes (estimated) per kind (the stage
 * actor's options, defaults {@value #CAPACITY} and {@value #BUDGET_BYTES}), dropping the least recently used; a
 * single state larger than the budget is refused. Thread-safe.
 */
public final class StateStore {

  public static final int CAPACITY = 256;
  /** The estimated bytes of states kept per kind and node: 64 MB. */
  public static final long BUDGET_BYTES = 64L * 1024 * 1024;

  private static final Map<Vertx, Map<String, StateStore>> STORES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final BoundedCache<Map<String, Object>> states;

  private StateStore(String kind) {
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
}
