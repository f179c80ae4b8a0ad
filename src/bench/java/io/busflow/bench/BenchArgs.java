package io.busflow.bench;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code --name value} (or {@code --name=value}) options of a benchmark, parsed by picocli: a name without a
 * value, a value without a name, and a repeated name are usage errors. Each benchmark reads the names it knows,
 * with its defaults; {@code --help} is answered by {@link Bench}.
 */
record BenchArgs(Map<String, String> values) {

  static BenchArgs parse(String[] args) {
    CommandSpec spec = CommandSpec.create().name("./run.sh bench");
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (name.startsWith("--") && name.length() > 2 && !spec.optionsMap().containsKey(name)) {
        spec.addOption(OptionSpec.builder(name).arity("1").type(String.class).paramLabel("VALUE").build());
      }
    }
    try {
      ParseResult parsed = new CommandLine(spec).parseArgs(args);
      Map<String, String> m = new HashMap<>();
      parsed.matchedOptions().forEach(o -> m.put(o.longestName().substring(2), o.getValue()));
      return new BenchArgs(m);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException("expected --name value pairs: " + e.getMessage(), e);
    }
  }

  /** These options with {@code name} set to {@code value}. */
  BenchArgs with(String name, String value) {
    Map<String, String> m = new HashMap<>(values);
    m.put(name, value);
    return new BenchArgs(m);
  }

  /** These options with {@code name} set to {@code value} unless given. */
  BenchArgs withDefault(String name, String value) {
    Map<String, String> m = new HashMap<>(values);
    m.putIfAbsent(name, value);
    return new BenchArgs(m);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /**
   * The value of {@code name}, {@code choices[0]} when it is not given; a value not among {@code choices} is a
   * usage error naming the option, the value and the choices.
   */
  String choice(String name, String... choices) {
    String v = values.getOrDefault(name, choices[0]);
    if (!java.util.List.of(choices).contains(v)) {
      throw new IllegalArgumentException("--" + name + " is '" + v + "'; use one of " + String.join(", ", choices));
    }
    return v;
  }

  long number(String name, long fallback) {
    String v = values.get(name);
    return v == null ? fallback : Long.parseLong(v.replace("_", ""));
  }
}
