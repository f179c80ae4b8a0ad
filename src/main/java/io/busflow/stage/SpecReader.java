package io.busflow.stage;

import io.busflow.data.transform.SpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON-shaped map of spec parameters, remembering the keys asked for, so that {@link #done()}
 * rejects the keys nobody knows. Every error is a {@link SpecException} naming the key's full path.
 */
public final class SpecReader {

  private final Map<String, Object> map;
  private final String path;
  private final Set<String> known = new HashSet<>();

  public SpecReader(Map<String, Object> map, String path) {
    this.map = map == null ? Map.of() : map;
    this.path = path;
  }

  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    known.add(key);
    return map.get(key) != null;
  }

  public double number(String key, double fallback, double min, double max) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n)) {
      throw wrong(key, v, "a number");
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw new SpecException(path(key), "is " + d + " but must be between " + min + " and " + max);
    }
    return d;
  }

  public int integer(String key, int fallback, int min, int max) {
    Object v = value(key);
    if (v != null && (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw wrong(key, v, "a whole number");
    }
    return (int) number(key, fallback, min, max);
  }

  public String string(String key, String fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw wrong(key, v, "a non-empty string");
    }
    return s;
  }

  /** One of {@code allowed}, or {@code fallback} when absent. */
  public String choice(String key, String fallback, List<String> allowed) {
    String s = string(key, fallback);
    if (!allowed.contains(s)) {
      throw new SpecException(path(key), "is '" + s + "' but must be one of " + allowed);
    }
    return s;
  }

  public List<String> strings(String key, List<String> fallback) {
    List<Object> raw = list(key, null);
    if (raw == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof String s)) {
        throw new SpecException(path(key) + "[" + i + "]", "is " + describe(raw.get(i)) + " but must be a string");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** The list at {@code key}, or {@code fallback} when absent. */
  @SuppressWarnings("unchecked")
  public List<Object> list(String key, List<Object> fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof List<?> l)) {
      throw wrong(key, v, "a list");
    }
    return (List<Object>) l;
  }

  /** Fails naming the first key that no one asked for. */
  public void done() {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        throw new SpecException(path(key), "unknown key; known keys here are " + new TreeSet<>(known)
            + " (check the spelling, or remove it)");
      }
    }
  }

  private Object value(String key) {
    known.add(key);
    return map.get(key);
  }

  private SpecException wrong(String key, Object v, String expected) {
    return new SpecException(path(key), "is " + describe(v) + " but must be " + expected);
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    return v instanceof Map ? "an object" : v instanceof List ? "a list" : String.valueOf(v);
  }
}
