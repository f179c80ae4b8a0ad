package io.busflow.pipeline.internal;

import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Fitted states (preprocessors, models) known to one node, by id, shared by every instance of a stage on
 * that node, so that a restarted instance or a second instance finds what another one fitted or loaded.
 * Holds at most {@value #CAPACITY} states and about {@value #BUDGET_BYTES} bytes (estimated) per kind,
 * dropping the least recently used; a single state larger than the budget is refused. Thread-safe.
 */
public final class StateStore {

  public static final int CAPACITY = 256;
  /** The estimated bytes of states kept per kind and node: 64 MB. */
  public static final long BUDGET_BYTES = 64L * 1024 * 1024;

  private static final Map<Vertx, Map<String, StateStore>> STORES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, Map<String, Object>> states = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
      return false;
    }
  };
  private final Map<String, Long> sizes = new java.util.HashMap<>();
  private long bytes;

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
    long size = estimate(state);
    if (size > BUDGET_BYTES) {
      throw new IllegalArgumentException("the fitted state '" + id + "' takes about " + size + " bytes, more than "
          + "the node's state store budget of " + BUDGET_BYTES + " bytes; fit fewer features or category levels "
          + "(see the steps' maxLevels and maxLevelChars)");
    }
    forget(id);
    states.put(id, state);
    sizes.put(id, size);
    bytes += size;
    while (states.size() > CAPACITY || bytes > BUDGET_BYTES) {
      forget(states.keySet().iterator().next());
    }
  }

  private void forget(String id) {
    Long size = sizes.remove(id);
    if (size != null) {
      bytes -= size;
      states.remove(id);
    }
  }

  /** A rough heap size of a JSON-like value: strings 2 bytes a character, 48 bytes per entry or number. */
  static long estimate(Object v) {
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
  public synchronized Map<String, Object> get(String id) {
    return states.get(id);
  }
}
