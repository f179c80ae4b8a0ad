package io.busflow.data.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"onehot": {"columns": [...], "levels": {"country": ["FR", "DE"]}, "maxLevels": …, "maxLevelChars": …}}}:
 * a {@link OneHotEncoder}, whose columns {@code country=FR} … replace {@code country}.
 */
public final class OneHotType implements StepType {

  private static final List<String> KEYS = List.of("columns", "levels", "maxLevels", "maxLevelChars");

  @Override
  public String name() {
    return "onehot";
  }

  @Override
  @SuppressWarnings("unchecked")
  public Step parse(Object body, String at) {
    SpecReader o = SpecReader.of(body, at, name() + " steps", KEYS);
    List<String> columns = o.names("columns");
    Map<String, List<String>> levels = levels(o.get("levels"), o.path("levels"), columns);
    int maxLevels = o.integer("maxLevels", ColumnStats.DEFAULT_MAX_LEVELS, 1, Integer.MAX_VALUE);
    int maxLevelChars = o.integer("maxLevelChars", ColumnStats.DEFAULT_MAX_LEVEL_CHARS, 1, Integer.MAX_VALUE);
    String place = StatsStep.place(at);
    return new StatsStep(columns, c -> columns.contains(c) || columns.stream().anyMatch(k -> c.startsWith(k + "=")),
        false, () -> ((StatsFitter<OneHotEncoder>) OneHotEncoder.fitter(columns, levels))
            .limitLevels(maxLevels, maxLevelChars, place));
  }

  private static Map<String, List<String>> levels(Object raw, String at, List<String> columns) {
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new SpecException(at, "must be an object of column → list of levels but is " + SpecReader.abbreviate(raw));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    m.forEach((c, l) -> out.put(String.valueOf(c), SpecReader.names(l, at + "." + c)));
    for (String c : out.keySet()) {
      if (!columns.contains(c)) {
        throw new SpecException(at + "." + c, "declares levels for '" + c + "' which is not among the step's "
            + "columns " + columns + "; add it to columns or remove it");
      }
    }
    return out;
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return OneHotEncoder.fromState(state);
  }
}
