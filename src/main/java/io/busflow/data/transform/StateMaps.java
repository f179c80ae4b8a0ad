package io.busflow.data.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading JSON-shaped fitted state: maps, lists, strings, numbers, booleans and null only, as Vert.x's
 * {@code JsonObject.getMap()} or any JSON parser gives them. Every getter fails with an
 * {@link IllegalArgumentException} naming the key, what was found and what was expected. Numbers are
 * accepted as any {@link Number}; writers store doubles as {@link Double} so that they survive JSON
 * exactly (shortest round-trip decimal form).
 */
public final class StateMaps {

  private StateMaps() {
  }

  /** The value at {@code key}; fails when absent or null. */
  public static Object required(Map<String, Object> state, String key) {
    Object v = state == null ? null : state.get(key);
    if (v == null) {
      throw new IllegalArgumentException("state key '" + key + "' is missing; keys present are "
          + (state == null ? "none" : state.keySet()));
    }
    return v;
  }

  public static String string(Map<String, Object> state, String key) {
    return cast(required(state, key), String.class, key, "a string");
  }

  /** The string at {@code key}, or {@code fallback} when absent or null. */
  public static String string(Map<String, Object> state, String key, String fallback) {
    return state.get(key) == null ? fallback : string(state, key);
  }

  public static double number(Map<String, Object> state, String key) {
    return cast(required(state, key), Number.class, key, "a number").doubleValue();
  }

  /** The number at {@code key}, or {@code fallback} when absent or null. */
  public static double number(Map<String, Object> state, String key, double fallback) {
    return state.get(key) == null ? fallback : number(state, key);
  }

  public static boolean bool(Map<String, Object> state, String key, boolean fallback) {
    Object v = state.get(key);
    return v == null ? fallback : cast(v, Boolean.class, key, "true or false");
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> state, String key) {
    return cast(required(state, key), Map.class, key, "an object");
  }

  /** The value at {@code key} as a JSON object; {@code what} names the key in errors. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object value, String what) {
    return cast(value, Map.class, what, "an object");
  }

  public static List<Object> list(Map<String, Object> state, String key) {
    return asList(required(state, key), key);
  }

  @SuppressWarnings("unchecked")
  public static List<Object> asList(Object value, String what) {
    return cast(value, List.class, what, "a list");
  }

  public static List<String> strings(Map<String, Object> state, String key) {
    return asStrings(required(state, key), key);
  }

  public static List<String> asStrings(Object value, String what) {
    List<Object> raw = asList(value, what);
    List<String> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      out.add(cast(raw.get(i), String.class, what + "[" + i + "]", "a string"));
    }
    return out;
  }

  public static double[] doubles(Map<String, Object> state, String key) {
    return asDoubles(required(state, key), key);
  }

  public static double[] asDoubles(Object value, String what) {
    List<Object> raw = asList(value, what);
    double[] out = new double[raw.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cast(raw.get(i), Number.class, what + "[" + i + "]", "a number").doubleValue();
    }
    return out;
  }

  /** A JSON-shaped list of {@link Double}s. */
  public static List<Object> toList(double[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** A new insertion-ordered map, the order {@code toState()} methods write keys in. */
  public static Map<String, Object> ordered() {
    return new LinkedHashMap<>();
  }

  /** Fails naming the key unless the state's {@code "type"} is {@code expected}. */
  public static void requireType(Map<String, Object> state, String expected) {
    String type = string(state, "type");
    if (!type.equals(expected)) {
      throw new IllegalArgumentException(
          "state key 'type' is '" + type + "' but '" + expected + "' was expected");
    }
  }

  private static <T> T cast(Object v, Class<T> type, String key, String expected) {
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException("state key '" + key + "' should be " + expected + " but is "
          + (v == null ? "null" : v.getClass().getSimpleName() + " " + abbreviate(v)));
    }
    return type.cast(v);
  }

  private static String abbreviate(Object v) {
    String s = String.valueOf(v);
    return s.length() > 60 ? "'" + s.substring(0, 57) + "...'" : "'" + s + "'";
  }
}
