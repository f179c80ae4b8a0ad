package io.busflow.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options of a benchmark. */
record BenchArgs(Map<String, String> values) {

  static BenchArgs parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return new BenchArgs(m);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  long number(String name, long fallback) {
    String v = values.get(name);
    return v == null ? fallback : Long.parseLong(v.replace("_", ""));
  }
}
