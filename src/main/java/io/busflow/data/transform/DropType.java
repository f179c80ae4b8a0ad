package io.busflow.data.transform;

import java.util.List;
import java.util.Map;

/** {@code {"drop": ["notes"]}}: removes these columns ({@link ColumnSelection}). */
public final class DropType implements StepType {

  @Override
  public String name() {
    return "drop";
  }

  @Override
  public Step parse(Object body, String at) {
    List<String> columns = SpecReader.names(body, at);
    return new FixedStep(List.of(), columns::contains, ColumnSelection.drop(columns));
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return ColumnSelection.fromState(state);
  }
}
