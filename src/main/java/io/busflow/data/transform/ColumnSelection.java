package io.busflow.data.transform;

import io.busflow.data.Batch;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps only some columns ({@code select}, in the order given; a missing column is an error) or removes
 * some ({@code drop}; an absent column is ignored). Needs no fitting.
 *
 * <p>State: {@code {"type":"select","columns":["a","b"]}} or {@code {"type":"drop","columns":["c"]}}.
 */
public final class ColumnSelection implements Transformer {

  private final boolean keep;
  private final List<String> columns;

  private ColumnSelection(boolean keep, List<String> columns) {
    this.keep = keep;
    this.columns = List.copyOf(columns);
  }

  /** Keeps only {@code columns}, in that order. */
  public static ColumnSelection select(List<String> columns) {
    return new ColumnSelection(true, columns);
  }

  /** Removes {@code columns}. */
  public static ColumnSelection drop(List<String> columns) {
    return new ColumnSelection(false, columns);
  }

  /** True for {@code select}, false for {@code drop}. */
  public boolean keeps() {
    return keep;
  }

  public List<String> columns() {
    return columns;
  }

  @Override
  public Batch transform(Batch batch) {
    return keep ? batch.select(columns) : batch.drop(Set.copyOf(columns));
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", keep ? "select" : "drop");
    s.put("columns", List.<Object>copyOf(columns));
    return s;
  }

  /** The selection whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static ColumnSelection fromState(Map<String, Object> state) {
    String type = StateMaps.string(state, "type");
    if (!type.equals("select") && !type.equals("drop")) {
      throw new IllegalArgumentException("state key 'type' is '" + type + "' but 'select' or 'drop' was expected");
    }
    return new ColumnSelection(type.equals("select"), StateMaps.strings(state, "columns"));
  }
}
