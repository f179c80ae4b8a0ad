package io.busflow.data.transform;

import java.util.List;
import java.util.Map;

/** {@code {"scale": {"columns": [...], "method": "standard"}}}: a {@link Scaler} ({@code standard} or {@code minmax}). */
public final class ScaleType implements StepType {

  private static final List<String> KEYS = List.of("columns", "method");

  @Override
  public String name() {
    return "scale";
  }

  @Override
  @SuppressWarnings("unchecked")
  public Step parse(Object body, String at) {
    SpecReader o = SpecReader.of(body, at, name() + " steps", KEYS);
    List<String> columns = o.names("columns");
    Scaler.Method method = o.parsed("method", "standard", Scaler.Method::parse);
    return new StatsStep(columns, columns::contains, false, () -> (StatsFitter<Scaler>) Scaler.fitter(method, columns));
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return Scaler.fromState(state);
  }
}
