package io.busflow.data.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON-shaped values of the metric records: insertion-ordered maps, lists with non-finite numbers as null. */
final class Curves {

  private Curves() {
  }

  static Map<String, Object> ordered() {
    return new LinkedHashMap<>();
  }

  static List<Object> list(double[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(number(v));
    }
    return out;
  }

  /** {@code v}, or null when it is NaN or infinite (JSON has no such numbers). */
  static Object number(double v) {
    return Double.isFinite(v) ? (Object) v : null;
  }
}
