package io.busflow.pipeline.internal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Vert.x JSON types and the plain maps and lists of the data layer's JSON-shaped state
 * ({@code io.busflow.data.transform.StateMaps}), in both directions, deeply.
 */
public final class JsonShapes {

  private JsonShapes() {}

  /** A deep copy of {@code json} made of {@link Map}s, {@link List}s and plain values only. */
  public static Map<String, Object> toMap(JsonObject json) {
    Map<String, Object> out = new LinkedHashMap<>();
    json.getMap().forEach((k, v) -> out.put(k, plain(v)));
    return out;
  }

  /** {@code state} as a JSON object (nested maps and lists wrapped). */
  public static JsonObject toJson(Map<String, Object> state) {
    return new JsonObject(toMapDeep(state));
  }

  /** A deep copy of {@code list} (JSON arrays, objects, maps, lists inside) made of plain values only. */
  public static List<Object> toList(List<?> list) {
    return plainList(list);
  }

  @SuppressWarnings("unchecked")
  private static Object plain(Object v) {
    if (v instanceof JsonObject j) {
      return toMap(j);
    }
    if (v instanceof JsonArray a) {
      return plainList(a.getList());
    }
    if (v instanceof Map<?, ?> m) {
      return toMapDeep((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      return plainList(l);
    }
    return v;
  }

  private static Map<String, Object> toMapDeep(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, plain(v)));
    return out;
  }

  private static List<Object> plainList(List<?> l) {
    List<Object> out = new ArrayList<>(l.size());
    l.forEach(v -> out.add(plain(v)));
    return out;
  }
}
