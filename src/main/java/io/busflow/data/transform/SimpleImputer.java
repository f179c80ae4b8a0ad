package io.busflow.data.transform;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces missing values with one fitted value per column, as scikit-learn's {@code SimpleImputer}.
 *
 * <p>Strategies: {@code mean} and {@code median} (numeric columns; numpy's median, the mean of the middle
 * two for an even count; fitting keeps the column's values in memory, 8 bytes a row), {@code most_frequent}
 * (numeric or text; among ties the smallest value, as scikit-learn) and {@code constant} (numeric or
 * text; default fill 0 for numbers and {@code "missing_value"} for text, as scikit-learn). Boolean columns
 * count as numbers 1/0 and come out numeric. Unlike scikit-learn, a column with no value at all at fit time
 * is an error rather than silently dropped.
 *
 * <p>State: {@code {"type":"impute","strategy":"mean","fill":{"age":41.5,"country":"FR"}}}; numeric fill
 * values are {@link Double}s, text fill values strings.
 */
public final class SimpleImputer implements Transformer {

  /** How the fill value of a column is chosen. */
  public enum Strategy {
    MEAN, MEDIAN, MOST_FREQUENT, CONSTANT;

    /** The strategy named as in scikit-learn ({@code "most_frequent"}); fails listing the valid names. */
    public static Strategy parse(String name) {
      for (Strategy s : values()) {
        if (s.label().equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("impute strategy '" + name
          + "' is unknown; use one of mean, median, most_frequent, constant");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Strategy strategy;
  private final Map<String, Object> fill;

  /** An imputer with the given fill value per column ({@link Double} or {@link String}). */
  public SimpleImputer(Strategy strategy, Map<String, Object> fill) {
    this.strategy = strategy;
    this.fill = Collections.unmodifiableMap(new LinkedHashMap<>(fill));
    this.fill.forEach(SimpleImputer::requireFillType);
  }

  /**
   * A fitter for {@code columns}; {@code constant} is the fill value for {@link Strategy#CONSTANT} (null
   * for scikit-learn's default) and ignored otherwise.
   */
  public static Fitter<SimpleImputer> fitter(Strategy strategy, List<String> columns, Object constant) {
    return new ImputerFitter(strategy, columns, constant);
  }

  public Strategy strategy() {
    return strategy;
  }

  /** The fill value per column: {@link Double} for numeric columns, {@link String} for text. */
  public Map<String, Object> fill() {
    return fill;
  }

  /** Its columns: text or numbers as its fill value is, missing values allowed (they are what it fills). */
  @Override
  public Map<String, Preprocessor.Input> reads() {
    Map<String, Preprocessor.Input> in = new LinkedHashMap<>();
    fill.forEach((c, v) -> in.put(c, new Preprocessor.Input(v instanceof String ? ColumnType.STRING
        : ColumnType.NUMERIC, true)));
    return in;
  }

  @Override
  public Batch transform(Batch batch) {
    List<Column> out = new ArrayList<>(fill.size());
    for (Map.Entry<String, Object> e : fill.entrySet()) {
      out.add(impute(batch.column(e.getKey()), e.getValue()));
    }
    return batch.withColumns(out);
  }

  private static Column impute(Column c, Object value) {
    if (value instanceof String s) {
      return imputeText(c, s);
    }
    return imputeNumbers(c, (Double) value);
  }

  private static Column imputeText(Column c, String value) {
    String[] in = Columns.strings(c, "impute");
    if (!hasNull(in)) {
      return c;
    }
    String[] out = in.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = value;
      }
    }
    return new StringColumn(c.name(), out);
  }

  private static Column imputeNumbers(Column c, double value) {
    double[] in = Columns.doubles(c);
    if (c instanceof NumericColumn && !hasNaN(in)) {
      return c;
    }
    double[] out = c instanceof NumericColumn ? in.clone() : in; // a boolean column's array is already new
    for (int i = 0; i < out.length; i++) {
      if (Double.isNaN(out[i])) {
        out[i] = value;
      }
    }
    return new NumericColumn(c.name(), out);
  }

  private static boolean hasNaN(double[] v) {
    for (double x : v) {
      if (Double.isNaN(x)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasNull(String[] v) {
    for (String x : v) {
      if (x == null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "impute");
    s.put("strategy", strategy.label());
    s.put("fill", new LinkedHashMap<>(fill));
    return s;
  }

  /** The imputer whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static SimpleImputer fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "impute");
    Strategy strategy = Strategy.parse(StateMaps.string(state, "strategy"));
    Map<String, Object> fill = new LinkedHashMap<>();
    StateMaps.map(state, "fill").forEach((col, v) -> fill.put(col, fillValue(v, "fill." + col)));
    return new SimpleImputer(strategy, fill);
  }

  private static Object fillValue(Object v, String key) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String) {
      return v;
    }
    throw new IllegalArgumentException("state key '" + key + "' should be a number or a string but is " + v);
  }

  private static void requireFillType(String column, Object v) {
    if (!(v instanceof Double) && !(v instanceof String)) {
      throw new IllegalArgumentException("impute: fill value of column '" + column
          + "' must be a Double or a String, got " + v);
    }
  }

  /** Fits the fill values from {@link ColumnStats}. */
  private static final class ImputerFitter extends StatsFitter<SimpleImputer> {
    private final Strategy strategy;
    private final Object constant;

    ImputerFitter(Strategy strategy, List<String> columns, Object constant) {
      super("impute " + strategy.label(), columns, strategy == Strategy.MEDIAN,
          strategy == Strategy.MOST_FREQUENT);
      this.strategy = strategy;
      this.constant = constant instanceof Number n ? (Object) n.doubleValue() : constant;
    }

    @Override
    SimpleImputer build(Map<String, ColumnStats> stats) {
      Map<String, Object> fill = new LinkedHashMap<>();
      for (ColumnStats s : stats.values()) {
        fill.put(s.column, fillOf(s));
      }
      return new SimpleImputer(strategy, fill);
    }

    private Object fillOf(ColumnStats s) {
      if (strategy == Strategy.CONSTANT) {
        return constantFor(s);
      }
      requireValues(s);
      if (strategy == Strategy.MOST_FREQUENT) {
        return s.mostFrequent();
      }
      if (!s.isNumeric()) {
        throw new IllegalArgumentException("impute " + strategy.label() + ": column '" + s.column
            + "' is text; use strategy most_frequent or constant for text columns");
      }
      return strategy == Strategy.MEAN ? s.mean : s.median();
    }

    private Object constantFor(ColumnStats s) {
      Object c = constant != null ? constant : s.isNumeric() ? (Object) 0.0 : "missing_value";
      if (s.isNumeric() != (c instanceof Double)) {
        throw new IllegalArgumentException("impute constant: fill_value " + c + " does not suit column '"
            + s.column + "' (" + (s.isNumeric() ? "numeric" : "text") + "); give one impute step per kind");
      }
      return c;
    }
  }
}
