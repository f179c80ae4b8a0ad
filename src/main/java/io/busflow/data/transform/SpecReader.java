package io.busflow.data.transform;

import io.busflow.data.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads one JSON-shaped map of a spec (a model's {@code params}, a preprocessing step's options) the way
 * every part of busflow reads its own: each typed read fails naming the key's full path, the value and what
 * it must be; a key nobody knows fails naming its path and the likely key when it looks like a typo — at
 * once for a fixed set of keys ({@link #of}), or at {@link #done()} for the keys asked for. Every error is a
 * {@link SpecException}. For {@code ModelType} and {@link StepType} implementations.
 */
public final class SpecReader {

  private final Map<String, Object> map;
  private final String path;
  private final Set<String> known = new HashSet<>();

  public SpecReader(Map<String, Object> map, String path) {
    this.map = map == null ? Map.of() : map;
    this.path = path;
  }

  /**
   * The options of a {@code what} ({@code "impute steps"}) at {@code path}: {@code body} must be an object
   * whose keys are all in {@code keys}, else a {@link SpecException} naming the first other key.
   */
  @SuppressWarnings("unchecked")
  public static SpecReader of(Object body, String path, String what, List<String> keys) {
    if (!(body instanceof Map<?, ?> options)) {
      throw new SpecException(path, "must be an object with the keys " + keys + " but is " + abbreviate(body));
    }
    for (Object k : options.keySet()) {
      if (!keys.contains(String.valueOf(k))) {
        throw new SpecException(path + "." + k, "'" + k + "' is not a key of " + what + "; their keys are "
            + String.join(", ", keys) + Names.hint(String.valueOf(k), keys));
      }
    }
    SpecReader r = new SpecReader((Map<String, Object>) options, path);
    r.known.addAll(keys);
    return r;
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

  /** The required list of column names at {@code key}. */
  public List<String> names(String key) {
    Object v = value(key);
    if (v == null) {
      throw new SpecException(path(key), "is required: the list of columns the step reads");
    }
    return names(v, path(key));
  }

  /** The raw value at {@code key}, or null when absent. */
  public Object get(String key) {
    return value(key);
  }

  /** The string at {@code key}, {@code fallback} when absent, parsed by {@code parse} (its failure names the key). */
  public <T> T parsed(String key, String fallback, Function<String, T> parse) {
    try {
      return parse.apply(string(key, fallback));
    } catch (SpecException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new SpecException(path(key), e.getMessage());
    }
  }

  /** {@code raw} as a list of column names; else a {@link SpecException} at {@code at}. */
  public static List<String> names(Object raw, String at) {
    if (!(raw instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new SpecException(at, "must be a list of column names such as [\"age\", \"income\"] but is "
          + abbreviate(raw));
    }
    return list.stream().map(String.class::cast).toList();
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
            + " (check the spelling, or remove it)" + Names.hint(key, known));
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

  /** A value quoted for a message, cut to 60 characters. */
  public static String abbreviate(Object v) {
    String s = String.valueOf(v);
    return s.length() > 60 ? "'" + s.substring(0, 57) + "...'" : "'" + s + "'";
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    return v instanceof Map ? "an object" : v instanceof List ? "a list" : String.valueOf(v);
  }
}
