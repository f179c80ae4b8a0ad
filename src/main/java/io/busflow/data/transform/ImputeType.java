package io.busflow.data.transform;

import java.util.List;
import java.util.Map;

/**
 * {@code {"impute": {"columns": [...], "strategy": "mean", "fill_value": …, "maxLevels": …, "maxLevelChars": …}}}:
 * a {@link SimpleImputer} ({@code mean}, {@code median}, {@code most_frequent} or {@code constant}).
 */
public final class ImputeType implements StepType {

  private static final List<String> KEYS = List.of("columns", "strategy", "fill_value", "maxLevels", "maxLevelChars");

  @Override
  public String name() {
    return "impute";
  }

  @Override
  @SuppressWarnings("unchecked")
  public Step parse(Object body, String at) {
    SpecReader o = SpecReader.of(body, at, name() + " steps", KEYS);
    List<String> columns = o.names("columns");
    SimpleImputer.Strategy strategy = o.parsed("strategy", "mean", SimpleImputer.Strategy::parse);
    Object fill = o.get("fill_value");
    if (fill != null && !(fill instanceof String || fill instanceof Number)) {
      throw new SpecException(o.path("fill_value"), "must be a number or a string but is "
          + SpecReader.abbreviate(fill));
    }
    int maxLevels = o.integer("maxLevels", ColumnStats.DEFAULT_MAX_LEVELS, 1, Integer.MAX_VALUE);
    int maxLevelChars = o.integer("maxLevelChars", ColumnStats.DEFAULT_MAX_LEVEL_CHARS, 1, Integer.MAX_VALUE);
    String place = StatsStep.place(at);
    return new StatsStep(columns, columns::contains, true,
        () -> ((StatsFitter<SimpleImputer>) SimpleImputer.fitter(strategy, columns, fill))
            .limitLevels(maxLevels, maxLevelChars, place));
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return SimpleImputer.fromState(state);
  }
}
