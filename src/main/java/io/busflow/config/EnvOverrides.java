package io.busflow.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies environment variables to a configuration: {@code BUSFLOW_<PATH>=value}, path segments joined by
 * a double underscore, each segment matched to an existing key ignoring case and single underscores, or
 * else turned from SNAKE_CASE into camelCase. {@code BUSFLOW_HTTP__PORT=8081} sets {@code http.port};
 * {@code BUSFLOW_ACTORS__MODEL__MAILBOX_CAPACITY=64} sets {@code actors.model.mailboxCapacity}. A value that
 * parses as JSON (number, true/false, list, object) is used as such, anything else as a string. Keys that
 * no one knows then fail validation like keys in the file do. {@code BUSFLOW_LOG_LEVEL} (read by
 * logback) and {@code BUSFLOW_CLUSTER_*} (read by the cluster configuration) are not configuration keys.
 */
public final class EnvOverrides {

  public static final String PREFIX = "BUSFLOW_";

  private EnvOverrides() {}

  /** A copy of {@code config} with every {@code BUSFLOW_…} variable in {@code env} applied, in name order. */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    return apply(config, env, new TreeMap<>());
  }

  /**
   * {@code reader}'s result on {@code config} with {@code env} applied. A {@link ConfigException} about a key a
   * variable set (or a key under it) also names the variable and its value, and, where the value was taken as
   * text, how to write a number, a list or an object there.
   */
  public static <T> T read(JsonObject config, Map<String, String> env, Function<JsonObject, T> reader) {
    Map<String, String> setBy = new TreeMap<>();
    JsonObject applied = apply(config, env, setBy);
    try {
      return reader.apply(applied);
    } catch (ConfigException e) {
      String variable = setBy.entrySet().stream()
          .filter(s -> e.path().equals(s.getKey()) || e.path().startsWith(s.getKey() + ".")
              || e.path().startsWith(s.getKey() + "["))
          .map(Map.Entry::getValue).reduce((a, b) -> b).orElse(null); // sorted: the longest path matching is last
      if (variable == null) {
        throw e;
      }
      String value = env.get(variable);
      boolean asString = parse(value) instanceof String;
      throw new ConfigException(e.path(), e.getMessage().substring(e.path().length() + 2) + " (set by the environment "
          + "variable " + variable + "='" + value + "'" + (asString ? ", taken as text; a variable's value is read as "
          + "JSON where it is JSON: 8080, true, [\"a\", \"b\"], {\"k\": 1}" : "") + ")");
    }
  }

  /** Applies the variables, recording in {@code setBy} the dotted path each one set. */
  private static JsonObject apply(JsonObject config, Map<String, String> env, Map<String, String> setBy) {
    JsonObject out = config.copy();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(PREFIX) && !name.startsWith("BUSFLOW_CLUSTER_") && !name.equals("BUSFLOW_LOG_LEVEL")
          && name.length() > PREFIX.length()) {
        setBy.put(set(out, name.substring(PREFIX.length()).split("__"), parse(e.getValue()), name), name);
      }
    }
    return out;
  }

  /** Sets the value; the dotted path it was set at. */
  private static String set(JsonObject root, String[] segments, Object value, String variable) {
    JsonObject target = root;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length - 1; i++) {
      String key = keyFor(target, segments[i]);
      path.append(key).append('.');
      Object next = target.getValue(key);
      if (next == null) {
        next = new JsonObject();
        target.put(key, next);
      }
      if (!(next instanceof JsonObject obj)) {
        throw new ConfigException(key, "cannot be overridden by " + variable + ": it is not an object");
      }
      target = obj;
    }
    String key = keyFor(target, segments[segments.length - 1]);
    target.put(key, value);
    return path.append(key).toString();
  }

  static String keyFor(JsonObject obj, String segment) {
    String wanted = segment.replace("_", "").toLowerCase();
    for (String existing : obj.fieldNames()) {
      if (existing.replace("_", "").toLowerCase().equals(wanted)) {
        return existing;
      }
    }
    return camel(segment);
  }

  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toLowerCase().toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  private static Object parse(String value) {
    try {
      Object v = Json.decodeValue(value);
      return v == null ? value : v;
    } catch (DecodeException notJson) {
      return value;
    }
  }
}
