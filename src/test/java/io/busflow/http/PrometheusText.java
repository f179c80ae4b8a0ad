package io.busflow.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must parse. */
final class PrometheusText {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?");
  private static final Pattern LABEL = Pattern.compile(
      "\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .*|#.*");

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new LinkedHashMap<>();

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (!line.isEmpty()) {
        p.line(line, n);
      }
    }
    return p;
  }

  private void line(String line, int n) {
    if (line.startsWith("#")) {
      Matcher m = COMMENT.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + n + " is not a comment: " + line);
      }
      if ("TYPE".equals(m.group(1))) {
        types.put(m.group(2), line.substring(line.lastIndexOf(' ') + 1));
      }
      return;
    }
    Matcher m = SAMPLE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("line " + n + " is not a sample: " + line);
    }
    samples.add(new Sample(m.group(1), labels(m.group(2), n), value(m.group(3))));
  }

  private static Map<String, String> labels(String s, int n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) {
      return out;
    }
    Matcher m = LABEL.matcher(s);
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      out.put(m.group(1), m.group(2));
      at = m.end();
    }
    if (at != s.length()) {
      throw new IllegalArgumentException("line " + n + ": bad labels {" + s + "}");
    }
    return out;
  }

  private static double value(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /** Samples named {@code name} whose labels include every entry of {@code labels}. */
  List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name)
        && s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The one sample's value; fails when there is not exactly one. */
  double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
    }
    return found.get(0).value();
  }

  List<Sample> samples() {
    return samples;
  }

  boolean hasPrefix(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  Map<String, String> types() {
    return types;
  }
}
