package io.busflow.data.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed step of a {@link Preprocessor} spec: what it reads and how to fit it. Every key is checked
 * where it is parsed: an unknown or mistyped key fails with a {@link SpecException} naming its path
 * ({@code steps[0].impute.stratgy}) and the keys the step allows.
 */
final class StepSpec {

  enum Kind {
    IMPUTE(List.of("columns", "strategy", "fill_value", "maxLevels", "maxLevelChars")),
    SCALE(List.of("columns", "method")),
    ONEHOT(List.of("columns", "levels", "maxLevels", "maxLevelChars")),
    SELECT(List.of()),
    DROP(List.of());

    final List<String> keys;

    Kind(List<String> keys) {
      this.keys = keys;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final int position;
  final Kind kind;
  final List<String> columns;
  private final SimpleImputer.Strategy strategy;
  private final Object fillValue;
  private final Scaler.Method method;
  private final Map<String, List<String>> levels;
  private final int maxLevels;
  private final int maxLevelChars;

  private StepSpec(int position, Kind kind, List<String> columns, Options o) {
    this.position = position;
    this.kind = kind;
    this.columns = columns;
    this.strategy = o.strategy;
    this.fillValue = o.fillValue;
    this.method = o.method;
    this.levels = o.levels;
    this.maxLevels = o.maxLevels;
    this.maxLevelChars = o.maxLevelChars;
  }

  /** The typed options of a stateful step, read once. */
  private static final class Options {
    SimpleImputer.Strategy strategy = SimpleImputer.Strategy.MEAN;
    Object fillValue;
    Scaler.Method method = Scaler.Method.STANDARD;
    Map<String, List<String>> levels = Map.of();
    int maxLevels = ColumnStats.DEFAULT_MAX_LEVELS;
    int maxLevelChars = ColumnStats.DEFAULT_MAX_LEVEL_CHARS;
  }

  /** Parses {@code {"impute":{...}}}, {@code {"scale":{...}}}, {@code {"onehot":{...}}}, {@code {"select":[...]}}
   * or {@code {"drop":[...]}} at {@code steps[position]}. */
  static StepSpec parse(int position, Object raw) {
    String place = "steps[" + position + "]";
    if (!(raw instanceof Map<?, ?> step) || step.size() != 1) {
      throw new SpecException(place, "must be an object with exactly one key (impute, scale, onehot, select "
          + "or drop), such as {\"impute\": {\"columns\": [\"age\"]}}, but is " + abbreviate(raw));
    }
    String key = String.valueOf(step.keySet().iterator().next());
    Kind kind = kindOf(place, key);
    String at = place + "." + key;
    Object body = step.get(key);
    if (kind == Kind.SELECT || kind == Kind.DROP) {
      return new StepSpec(position, kind, strings(body, at), new Options());
    }
    if (!(body instanceof Map<?, ?> options)) {
      throw new SpecException(at, "must be an object with the keys " + kind.keys + " but is " + abbreviate(body));
    }
    for (Object k : options.keySet()) {
      if (!kind.keys.contains(String.valueOf(k))) {
        throw new SpecException(at + "." + k, "'" + k + "' is not a key of " + key + " steps; their keys are "
            + String.join(", ", kind.keys) + hint(String.valueOf(k), kind.keys));
      }
    }
    if (options.get("columns") == null) {
      throw new SpecException(at + ".columns", "is required: the list of columns the step reads");
    }
    List<String> columns = strings(options.get("columns"), at + ".columns");
    return new StepSpec(position, kind, columns, options(kind, options, at, columns));
  }

  private static Options options(Kind kind, Map<?, ?> raw, String at, List<String> columns) {
    Options o = new Options();
    switch (kind) {
      case IMPUTE -> {
        o.strategy = named(raw, "strategy", at, "mean", SimpleImputer.Strategy::parse);
        o.fillValue = raw.get("fill_value");
        if (o.fillValue != null && !(o.fillValue instanceof String || o.fillValue instanceof Number)) {
          throw new SpecException(at + ".fill_value", "must be a number or a string but is " + abbreviate(o.fillValue));
        }
      }
      case SCALE -> o.method = named(raw, "method", at, "standard", Scaler.Method::parse);
      case ONEHOT -> o.levels = levels(raw.get("levels"), at + ".levels", columns);
      default -> { }
    }
    o.maxLevels = limit(raw, "maxLevels", at, ColumnStats.DEFAULT_MAX_LEVELS);
    o.maxLevelChars = limit(raw, "maxLevelChars", at, ColumnStats.DEFAULT_MAX_LEVEL_CHARS);
    return o;
  }

  /** A positive whole-number bound ({@code maxLevels}, {@code maxLevelChars}). */
  private static int limit(Map<?, ?> raw, String key, String at, int fallback) {
    Object v = raw.get(key) == null ? fallback : raw.get(key);
    if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.doubleValue() < 1
        || n.doubleValue() > Integer.MAX_VALUE) {
      throw new SpecException(at + "." + key, "must be a whole number of at least 1 but is " + abbreviate(v));
    }
    return n.intValue();
  }

  private static <T> T named(Map<?, ?> raw, String key, String at, String fallback,
      java.util.function.Function<String, T> parse) {
    Object v = raw.get(key) == null ? fallback : raw.get(key);
    if (!(v instanceof String s)) {
      throw new SpecException(at + "." + key, "must be a string but is " + abbreviate(v));
    }
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      throw new SpecException(at + "." + key, e.getMessage());
    }
  }

  private static Map<String, List<String>> levels(Object raw, String at, List<String> columns) {
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new SpecException(at, "must be an object of column → list of levels but is " + abbreviate(raw));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    m.forEach((c, l) -> out.put(String.valueOf(c), strings(l, at + "." + c)));
    for (String c : out.keySet()) {
      if (!columns.contains(c)) {
        throw new SpecException(at + "." + c, "declares levels for '" + c + "' which is not among the step's "
            + "columns " + columns + "; add it to columns or remove it");
      }
    }
    return out;
  }

  private static List<String> strings(Object raw, String at) {
    if (!(raw instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new SpecException(at, "must be a list of column names such as [\"age\", \"income\"] but is "
          + abbreviate(raw));
    }
    return list.stream().map(String.class::cast).toList();
  }

  private static Kind kindOf(String place, String key) {
    for (Kind k : Kind.values()) {
      if (k.label().equals(key)) {
        return k;
      }
    }
    throw new SpecException(place + "." + key, "'" + key + "' is not a step; use impute, scale, onehot, select or drop"
        + hint(key, List.of("impute", "scale", "onehot", "select", "drop")));
  }

  /** "; did you mean 'x'?" for the allowed name closest to {@code key} when it is a likely typo, else "". */
  static String hint(String key, List<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : allowed) {
      int d = distance(key.toLowerCase(Locale.ROOT), a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String abbreviate(Object v) {
    String s = String.valueOf(v);
    return s.length() > 60 ? "'" + s.substring(0, 57) + "...'" : "'" + s + "'";
  }

  boolean stateful() {
    return kind != Kind.SELECT && kind != Kind.DROP;
  }

  String describe() {
    return "steps[" + position + "] (" + kind.label() + ")";
  }

  /** The fitter of a stateful step. */
  StatsFitter<? extends Transformer> fitter() {
    switch (kind) {
      case IMPUTE:
        return ((StatsFitter<SimpleImputer>) SimpleImputer.fitter(strategy, columns, fillValue))
            .limitLevels(maxLevels, maxLevelChars, describe());
      case SCALE:
        return (StatsFitter<Scaler>) Scaler.fitter(method, columns);
      case ONEHOT:
        return ((StatsFitter<OneHotEncoder>) OneHotEncoder.fitter(columns, levels))
            .limitLevels(maxLevels, maxLevelChars, describe());
      default:
        throw new IllegalStateException(describe() + " needs no fitting");
    }
  }

  /** The transformer of a step that needs no fitting. */
  Transformer fixed() {
    return kind == Kind.SELECT ? ColumnSelection.select(columns) : ColumnSelection.drop(columns);
  }
}
