package io.busflow.pipeline.protocol;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.transform.Preprocessor;
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

  /** Longest text value quoted in an error message. */
  private static final int MAX_SHOWN = 60;

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

  /**
   * What {@link #fromRecords} reads from {@code records} when a stage actor sees them before the preprocessor:
   * every key some record has, in first-seen order, typed as {@code known} (the preprocessor's inputs) says,
   * else by its values (numbers and booleans numeric, anything else text; missing values allowed). An input
   * that no record has is left out: the actor makes it.
   */
  public static Map<String, Preprocessor.Input> recordInputs(JsonArray records, Map<String, Preprocessor.Input> known) {
    Map<String, Preprocessor.Input> out = new LinkedHashMap<>();
    for (Object r : records) {
      if (r instanceof JsonObject o) {
        o.forEach(e -> out.merge(e.getKey(), known.getOrDefault(e.getKey(), inferred(e.getValue())),
            (a, b) -> known.containsKey(e.getKey()) || a.type() == ColumnType.STRING ? a : b));
      }
    }
    return out;
  }

  private static Preprocessor.Input inferred(Object value) {
    boolean numeric = value == null || value instanceof Number || value instanceof Boolean;
    return new Preprocessor.Input(numeric ? ColumnType.NUMERIC : ColumnType.STRING, true);
  }

  /**
   * A batch (index 0) of JSON records typed by what a fitted preprocessor reads ({@code inputs}, from
   * {@link io.busflow.data.transform.Preprocessor#inputs()}): one column per input, in that order; other keys
   * are ignored; an absent key or {@code null} is a missing value. Numeric inputs take numbers (booleans as
   * 1/0), text inputs take strings (numbers and booleans as their JSON text).
   *
   * @throws ActorException BAD_REQUEST naming {@code place[i].column} and the value when a record is not an
   *     object, a value has the wrong type, or a value the pipeline cannot impute is missing
   */
  public static Batch fromRecords(JsonArray records, Map<String, Preprocessor.Input> inputs, String place) {
    int n = records.size();
    JsonObject[] rows = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      if (!(records.getValue(i) instanceof JsonObject row)) {
        throw ActorException.badRequest(place + "[" + i + "] is not a JSON object; send records as "
            + "[{\"column\": value, …}, …]");
      }
      rows[i] = row;
    }
    List<Column> columns = new ArrayList<>(inputs.size());
    inputs.forEach((name, input) -> columns.add(input.type() == ColumnType.NUMERIC
        ? numbers(rows, name, input.missingAllowed(), place) : texts(rows, name, input.missingAllowed(), place)));
    return new Batch(0, 0, n, columns);
  }

  private static NumericColumn numbers(JsonObject[] rows, String name, boolean missingOk, String place) {
    double[] v = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      Object x = rows[i].getValue(name);
      if (x instanceof Number num) {
        v[i] = finite(num, place + "[" + i + "]." + name, missingOk);
      } else if (x instanceof Boolean b) {
        v[i] = b ? 1 : 0;
      } else if (x == null && missingOk) {
        v[i] = Double.NaN;
      } else {
        throw badValue(place, i, name, x, "a number", missingOk);
      }
    }
    return new NumericColumn(name, v);
  }

  private static StringColumn texts(JsonObject[] rows, String name, boolean missingOk, String place) {
    String[] v = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      Object x = rows[i].getValue(name);
      if (x instanceof String || x instanceof Number || x instanceof Boolean) {
        v[i] = x.toString();
      } else if (x != null || !missingOk) {
        throw badValue(place, i, name, x, "a string", missingOk);
      }
    }
    return new StringColumn(name, v);
  }

  /**
   * {@code x} as a double; BAD_REQUEST naming {@code at} when it is past the doubles' range (JSON allows {@code 1e400},
   * which reads as infinity), as a CSV field such as {@code 1e309} is a bad row.
   */
  private static double finite(Number x, String at, boolean missingOk) {
    double d = x.doubleValue();
    if (!Double.isFinite(d)) {
      throw ActorException.badRequest(at + ": the number is out of range (it reads as " + d + "); send a finite "
          + "number" + (missingOk ? " or null" : ""));
    }
    return d;
  }

  private static ActorException badValue(String place, int i, String name, Object x, String expected,
                                         boolean missingOk) {
    String at = place + "[" + i + "]." + name;
    if (x == null) {
      return ActorException.badRequest(at + " is missing, but the pipeline needs a value there (the column is not "
          + "imputed); send " + expected);
    }
    String shown = x instanceof String str ? "'" + (str.length() > MAX_SHOWN ? str.substring(0, MAX_SHOWN) + "…" : str)
        + "'" : x instanceof JsonObject ? "an object" : x instanceof JsonArray ? "a list" : String.valueOf(x);
    return ActorException.badRequest(at + ": " + shown + " is not " + expected + "; send " + expected
        + (missingOk ? " or null" : ""));
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
          v[i] = x == null ? Double.NaN : finite((Number) x, "'" + name + "' of row " + i, true);
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
