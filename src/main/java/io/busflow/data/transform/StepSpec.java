package io.busflow.data.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One parsed step of a {@link Preprocessor} spec: what it reads and how to fit it. */
final class StepSpec {

  enum Kind { IMPUTE, SCALE, ONEHOT, SELECT, DROP }

  final int position;
  final Kind kind;
  final List<String> columns;
  private final Map<String, Object> options;

  private StepSpec(int position, Kind kind, List<String> columns, Map<String, Object> options) {
    this.position = position;
    this.kind = kind;
    this.columns = columns;
    this.options = options;
  }

  /** Parses {@code {"impute":{...}}}, {@code {"scale":{...}}}, {@code {"onehot":{...}}}, {@code {"select":[...]}}
   * or {@code {"drop":[...]}}; {@code place} names it in errors (e.g. {@code steps[2]}). */
  static StepSpec parse(int position, Object raw) {
    String place = "steps[" + position + "]";
    Map<String, Object> step = StateMaps.asMap(raw, place);
    if (step.size() != 1) {
      throw new IllegalArgumentException(place + " must have exactly one key (impute, scale, onehot, select "
          + "or drop) but has " + step.keySet());
    }
    String key = step.keySet().iterator().next();
    Kind kind = kindOf(place, key);
    Object body = step.get(key);
    if (kind == Kind.SELECT || kind == Kind.DROP) {
      return new StepSpec(position, kind, StateMaps.asStrings(body, place + "." + key), Map.of());
    }
    Map<String, Object> options = StateMaps.asMap(body, place + "." + key);
    return new StepSpec(position, kind, StateMaps.asStrings(options.get("columns"), place + "." + key
        + ".columns"), options);
  }

  private static Kind kindOf(String place, String key) {
    for (Kind k : Kind.values()) {
      if (k.name().equalsIgnoreCase(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException(place + ": step '" + key
        + "' is unknown; use impute, scale, onehot, select or drop");
  }

  boolean stateful() {
    return kind != Kind.SELECT && kind != Kind.DROP;
  }

  String describe() {
    return "steps[" + position + "] (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  /** The fitter of a stateful step. */
  StatsFitter<? extends Transformer> fitter() {
    switch (kind) {
      case IMPUTE:
        return ((StatsFitter<SimpleImputer>) SimpleImputer.fitter(
            SimpleImputer.Strategy.parse(option("strategy", "mean")), columns, options.get("fill_value")))
            .limitLevels(limit("maxLevels", ColumnStats.DEFAULT_MAX_LEVELS),
                limit("maxLevelChars", ColumnStats.DEFAULT_MAX_LEVEL_CHARS), describe());
      case SCALE:
        return (StatsFitter<Scaler>) Scaler.fitter(Scaler.Method.parse(option("method", "standard")), columns);
      case ONEHOT:
        return ((StatsFitter<OneHotEncoder>) OneHotEncoder.fitter(columns, declaredLevels()))
            .limitLevels(limit("maxLevels", ColumnStats.DEFAULT_MAX_LEVELS),
                limit("maxLevelChars", ColumnStats.DEFAULT_MAX_LEVEL_CHARS), describe());
      default:
        throw new IllegalStateException(describe() + " needs no fitting");
    }
  }

  /** The transformer of a step that needs no fitting. */
  Transformer fixed() {
    return kind == Kind.SELECT ? ColumnSelection.select(columns) : ColumnSelection.drop(columns);
  }

  /** A positive whole-number option ({@code maxLevels}, {@code maxLevelChars}). */
  private int limit(String key, int fallback) {
    Object v = options.getOrDefault(key, fallback);
    if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.doubleValue() < 1
        || n.doubleValue() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(describe() + ": '" + key + "' must be a whole number of at least 1, got " + v);
    }
    return n.intValue();
  }

  private String option(String key, String fallback) {
    Object v = options.getOrDefault(key, fallback);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(describe() + ": '" + key + "' must be a string, got " + v);
    }
    return (String) v;
  }

  private Map<String, List<String>> declaredLevels() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Object raw = options.get("levels");
    if (raw != null) {
      StateMaps.asMap(raw, describe() + ".levels").forEach((c, l) ->
          out.put(c, StateMaps.asStrings(l, describe() + ".levels." + c)));
    }
    for (String c : out.keySet()) {
      if (!columns.contains(c)) {
        throw new IllegalArgumentException(describe() + ": levels are declared for '" + c
            + "' which is not among its columns " + columns);
      }
    }
    return out;
  }
}
