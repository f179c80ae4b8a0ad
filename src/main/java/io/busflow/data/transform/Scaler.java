package io.busflow.data.transform;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scales numeric columns as scikit-learn's {@code StandardScaler} ({@code (x - mean) / std}, population
 * std; a constant column has std 0 and is divided by 1) or {@code MinMaxScaler} with range [0, 1]
 * ({@code (x - min) / (max - min)}; a range of 0 divides by 1). Missing values are ignored when fitting
 * and stay missing, as scikit-learn. Boolean columns count as 1/0 and come out numeric.
 *
 * <p>State: {@code {"type":"scale","method":"standard","columns":{"age":{"mean":41.5,"std":12.0}}}} or
 * {@code {"type":"scale","method":"minmax","columns":{"age":{"min":18.0,"max":90.0}}}}. A standard
 * {@code std} of 0 is kept as fitted; the divisor used is then 1.
 */
public final class Scaler implements Transformer {

  /** Which scikit-learn scaler. */
  public enum Method {
    STANDARD, MINMAX;

    /** {@code "standard"} or {@code "minmax"}; fails listing the valid names. */
    public static Method parse(String name) {
      for (Method m : values()) {
        if (m.label().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("scale method '" + name + "' is unknown; use standard or minmax");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    private String first() {
      return this == STANDARD ? "mean" : "min";
    }

    private String second() {
      return this == STANDARD ? "std" : "max";
    }
  }

  private final Method method;
  private final List<String> columns;
  private final double[] first;
  private final double[] second;
  private final double[] offset;
  private final double[] divisor;

  /**
   * A scaler for {@code columns} with, per column, mean and std ({@link Method#STANDARD}) or min and max
   * ({@link Method#MINMAX}).
   */
  public Scaler(Method method, List<String> columns, double[] first, double[] second) {
    if (columns.size() != first.length || columns.size() != second.length) {
      throw new IllegalArgumentException("scale: " + columns.size() + " columns but " + first.length
          + " and " + second.length + " parameters");
    }
    this.method = method;
    this.columns = List.copyOf(columns);
    this.first = first.clone();
    this.second = second.clone();
    this.offset = first.clone();
    this.divisor = new double[first.length];
    for (int j = 0; j < divisor.length; j++) {
      double d = method == Method.STANDARD ? second[j] : second[j] - first[j];
      divisor[j] = d == 0 ? 1.0 : d;
    }
  }

  /** A fitter over a stream of batches: one pass, constant memory. */
  public static Fitter<Scaler> fitter(Method method, List<String> columns) {
    return new ScalerFitter(method, columns);
  }

  public Method method() {
    return method;
  }

  public List<String> columns() {
    return columns;
  }

  /** Its columns: numbers, no missing value. */
  @Override
  public Map<String, Preprocessor.Input> reads() {
    Map<String, Preprocessor.Input> in = new LinkedHashMap<>();
    columns.forEach(c -> in.put(c, new Preprocessor.Input(ColumnType.NUMERIC, false)));
    return in;
  }

  /** What is subtracted: the mean or the min, per column. */
  public double[] offsets() {
    return offset.clone();
  }

  /** What the difference is divided by: the std or the range, 1 where that is 0, per column. */
  public double[] divisors() {
    return divisor.clone();
  }

  @Override
  public Batch transform(Batch batch) {
    List<Column> out = new ArrayList<>(columns.size());
    for (int j = 0; j < columns.size(); j++) {
      out.add(scale(batch.column(columns.get(j)), offset[j], divisor[j]));
    }
    return batch.withColumns(out);
  }

  private static Column scale(Column c, double off, double div) {
    double[] in = Columns.doubles(c);
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (in[i] - off) / div;
    }
    return new NumericColumn(c.name(), out);
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "scale");
    s.put("method", method.label());
    Map<String, Object> cols = new LinkedHashMap<>();
    for (int j = 0; j < columns.size(); j++) {
      Map<String, Object> p = StateMaps.ordered();
      p.put(method.first(), first[j]);
      p.put(method.second(), second[j]);
      cols.put(columns.get(j), p);
    }
    s.put("columns", cols);
    return s;
  }

  /** The scaler whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static Scaler fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "scale");
    Method method = Method.parse(StateMaps.string(state, "method"));
    Map<String, Object> cols = StateMaps.map(state, "columns");
    List<String> names = new ArrayList<>(cols.keySet());
    double[] a = new double[names.size()];
    double[] b = new double[names.size()];
    for (int j = 0; j < a.length; j++) {
      Map<String, Object> p = StateMaps.asMap(cols.get(names.get(j)), "columns." + names.get(j));
      a[j] = number(p, names.get(j), method.first());
      b[j] = number(p, names.get(j), method.second());
    }
    return new Scaler(method, names, a, b);
  }

  private static double number(Map<String, Object> p, String column, String key) {
    try {
      return StateMaps.number(p, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scale state of column '" + column + "': " + e.getMessage(), e);
    }
  }

  /** Fits from {@link ColumnStats}: one pass. */
  private static final class ScalerFitter extends StatsFitter<Scaler> {
    private final Method method;

    ScalerFitter(Method method, List<String> columns) {
      super("scale " + method.label(), columns, false, false);
      this.method = method;
    }

    @Override
    Scaler build(Map<String, ColumnStats> stats) {
      List<String> names = new ArrayList<>(stats.keySet());
      double[] a = new double[names.size()];
      double[] b = new double[names.size()];
      for (int j = 0; j < a.length; j++) {
        ColumnStats s = stats.get(names.get(j));
        requireValues(s);
        requireNumeric(s);
        a[j] = method == Method.STANDARD ? s.mean : s.min;
        b[j] = method == Method.STANDARD ? Math.sqrt(s.variance()) : s.max;
      }
      return new Scaler(method, names, a, b);
    }

    private void requireNumeric(ColumnStats s) {
      if (!s.isNumeric()) {
        throw new IllegalArgumentException("scale: column '" + s.column
            + "' is text; scale numeric columns only (one-hot encode text first, or drop it)");
      }
    }
  }
}
