package io.busflow.pipeline;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batches as JSON rows, for clients that speak JSON only (other verticles, the HTTP bridge, SockJS):
 * {@code [{"age": 41, "country": "FR"}, …]}. Missing values are {@code null} (or an absent key when
 * reading); numbers are JSON numbers, booleans JSON booleans.
 *
 * <p>Reading rows, a column's type is taken from its values: all numbers → numeric, all booleans →
 * boolean, anything else (or no value at all) → text, numbers then written as text.
 */
public final class BatchJson {

  private BatchJson() {}

  /** The rows of {@code batch}, one JSON object each, keys in column order. */
  public static JsonArray toRows(Batch batch) {
    JsonArray rows = new JsonArray(new ArrayList<>(batch.rowCount()));
    for (int i = 0; i < batch.rowCount(); i++) {
      JsonObject row = new JsonObject(new LinkedHashMap<>());
      for (Column c : batch.columns()) {
        row.put(c.name(), value(c, i));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The JSON value of one cell: a number, a boolean, a string, or null when missing. */
  public static Object value(Column c, int row) {
    if (c.isMissing(row)) {
      return null;
    }
    if (c instanceof NumericColumn n) {
      double v = n.get(row);
      return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }
    return c instanceof BooleanColumn b ? (Object) b.get(row) : c.text(row);
  }

  /**
   * A batch (index 0) of JSON row objects; {@code place} names the field in errors.
   *
   * @throws ActorException BAD_REQUEST when a row is not an object or a value is a list or an object
   */
  public static Batch fromRows(JsonArray rows, String place) {
    List<JsonObject> objects = new ArrayList<>(rows.size());
    Map<String, Kind> kinds = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!(rows.getValue(i) instanceof JsonObject row)) {
        throw ActorException.badRequest(place + "[" + i + "] is not a JSON object; send rows as "
            + "[{\"column\": value, …}, …]");
      }
      objects.add(row);
      String at = place + "[" + i + "].";
      row.forEach(e -> kinds.merge(e.getKey(), Kind.of(e.getValue(), at + e.getKey()), Kind::join));
    }
    List<Column> columns = new ArrayList<>(kinds.size());
    kinds.forEach((name, kind) -> columns.add(column(name, kind, objects)));
    return new Batch(0, 0, objects.size(), columns);
  }

  private enum Kind {
    NONE, NUMBER, BOOLEAN, TEXT;

    static Kind of(Object v, String place) {
      if (v instanceof JsonObject || v instanceof JsonArray) {
        throw ActorException.badRequest(place + " is a list or an object; values must be numbers, strings, "
            + "booleans or null");
      }
      return v == null ? NONE : v instanceof Number ? NUMBER : v instanceof Boolean ? BOOLEAN : TEXT;
    }

    static Kind join(Kind a, Kind b) {
      return a == NONE ? b : b == NONE || a == b ? a : TEXT;
    }
  }

  private static Column column(String name, Kind kind, List<JsonObject> rows) {
    int n = rows.size();
    switch (kind) {
      case NUMBER -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          Object x = rows.get(i).getValue(name);
          v[i] = x == null ? Double.NaN : ((Number) x).doubleValue();
        }
        return new NumericColumn(name, v);
      }
      case BOOLEAN -> {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
          Object x = rows.get(i).getValue(name);
          v[i] = x == null ? BooleanColumn.MISSING : (Boolean) x ? (byte) 1 : 0;
        }
        return new BooleanColumn(name, v);
      }
      default -> {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          Object x = rows.get(i).getValue(name);
          v[i] = x == null ? null : String.valueOf(x);
        }
        return new StringColumn(name, v);
      }
    }
  }
}
