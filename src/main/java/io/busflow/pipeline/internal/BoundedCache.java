package io.busflow.pipeline.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values by id, at most {@code maxEntries} of them and {@code maxBytes} (as estimated by the caller) in all,
 * the least recently used dropped first; a single value larger than {@code maxBytes} is refused with an error
 * naming its id, its size and the bound's configuration key. Thread-safe.
 *
 * @param <V> the values
 */
public final class BoundedCache<V> {

  private final String what;
  private String key;
  private final Map<String, V> values = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Long> sizes = new HashMap<>();
  private int maxEntries;
  private long maxBytes;
  private long bytes;

  /**
   * @param what what the cache is, named in the refusal (e.g. {@code the node's model store})
   * @param key  the configuration key of {@code maxBytes}, named in the refusal
   */
  public BoundedCache(String what, String key, int maxEntries, long maxBytes) {
    this.what = what;
    this.key = key;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Remembers {@code value} of about {@code size} bytes under {@code id}, dropping the least recently used. */
  public synchronized void put(String id, V value, long size) {
    if (size > maxBytes) {
      throw new IllegalArgumentException("'" + id + "' takes about " + size + " bytes, more than the " + maxBytes
          + "-byte budget of " + what + " (" + key + "); fit fewer features or category levels (see the steps' maxLevels and "
          + "maxLevelChars), or raise " + key);
    }
    forget(id);
    values.put(id, value);
    sizes.put(id, size);
    bytes += size;
    trim();
  }

  /** The value under {@code id} (now the most recently used), or null. */
  public synchronized V get(String id) {
    return values.get(id);
  }

  /** Drops {@code id}. */
  public synchronized void forget(String id) {
    Long size = sizes.remove(id);
    if (size != null) {
      bytes -= size;
      values.remove(id);
    }
  }

  /** Sets the bounds, {@code key} naming the byte bound's configuration, dropping what is past them. */
  public synchronized void limit(int entries, long maxBytes, String key) {
    this.key = key;
    this.maxEntries = entries;
    this.maxBytes = maxBytes;
    trim();
  }

  /** The estimated bytes held. */
  public synchronized long bytes() {
    return bytes;
  }

  /** The number of values held. */
  public synchronized int size() {
    return values.size();
  }

  private void trim() {
    while (values.size() > maxEntries || bytes > maxBytes) {
      forget(values.keySet().iterator().next());
    }
  }
}
