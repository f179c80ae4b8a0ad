package io.busflow.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object of configuration, remembering which keys were asked for, so that {@link #done()}
 * can reject the keys nobody knows. Every error names the key's full dotted path.
 */
public final class ConfigReader {

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new HashSet<>();

  public ConfigReader(JsonObject json, String path) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  public static ConfigReader root(JsonObject json) {
    return new ConfigReader(json, "");
  }

  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    known.add(key);
    return json.containsKey(key) && json.getValue(key) != null;
  }

  public String string(String key, String fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw wrongType(key, v, "a string");
    }
    return s;
  }

  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw new ConfigException(path(key), "is required and must be a non-empty string");
    }
    return s;
  }

  public boolean bool(String key, boolean fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw wrongType(key, v, "true or false");
    }
    return b;
  }

  public int integer(String key, int fallback, int min, int max) {
    long v = longValue(key, fallback, min, max);
    return (int) v;
  }

  public long longValue(String key, long fallback, long min, long max) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw wrongType(key, v, "a whole number");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw new ConfigException(path(key), "is " + l + " but must be between " + min + " and " + max);
    }
    return l;
  }

  public double number(String key, double fallback, double min, double max) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n)) {
      throw wrongType(key, v, "a number");
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw new ConfigException(path(key), "is " + d + " but must be between " + min + " and " + max);
    }
    return d;
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    String s = string(key, null);
    if (s == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase().replace('_', '-'));
    }
    throw new ConfigException(path(key), "is '" + s + "' but must be one of " + names);
  }

  public List<String> strings(String key, List<String> fallback) {
    Object v = value(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof JsonArray a)) {
      throw wrongType(key, v, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s)) {
        throw new ConfigException(path(key) + "[" + i + "]", "is " + describe(a.getValue(i))
            + " but must be a string");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** The nested object at {@code key} (empty when absent) as a reader of its own. */
  public ConfigReader object(String key) {
    Object v = value(key);
    if (v != null && !(v instanceof JsonObject)) {
      throw wrongType(key, v, "an object");
    }
    return new ConfigReader((JsonObject) v, path(key));
  }

  /** The raw nested object at {@code key}, copied; its keys are the caller's to validate. */
  public JsonObject rawObject(String key) {
    Object v = value(key);
    if (v != null && !(v instanceof JsonObject)) {
      throw wrongType(key, v, "an object");
    }
    return v == null ? new JsonObject() : ((JsonObject) v).copy();
  }

  public Set<String> keys() {
    return json.fieldNames();
  }

  /** Fails naming the first key that no one asked for. */
  public void done() {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new ConfigException(path(key), "unknown key; known keys here are " + new java.util.TreeSet<>(known)
            + " (check the spelling, or remove it)");
      }
    }
  }

  /** Marks a key as known without reading it (for keys read elsewhere). */
  public void allow(String key) {
    known.add(key);
  }

  private Object value(String key) {
    known.add(key);
    return json.getValue(key);
  }

  private ConfigException wrongType(String key, Object v, String expected) {
    return new ConfigException(path(key), "is " + describe(v) + " but must be " + expected);
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    return v instanceof JsonObject ? "an object" : v instanceof JsonArray ? "a list" : String.valueOf(v);
  }
}
