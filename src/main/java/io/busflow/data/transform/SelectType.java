package io.busflow.data.transform;

import java.util.List;
import java.util.Map;

/** {@code {"select": ["age", "income"]}}: keeps only these columns, in this order ({@link ColumnSelection}). */
public final class SelectType implements StepType {

  @Override
  public String name() {
    return "select";
  }

  @Override
  public Step parse(Object body, String at) {
    List<String> columns = SpecReader.names(body, at);
    return new FixedStep(columns, c -> !columns.contains(c), ColumnSelection.select(columns));
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return ColumnSelection.fromState(state);
  }
}
