package io.busflow.data.transform;

import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a target column's classes as 0..K-1, as scikit-learn's {@code LabelEncoder}: classes sorted
 * ascending, numbers numerically (held as {@link Double}) and text by UTF-16 code unit (held as
 * {@link String}). Boolean targets count as numbers 1/0.
 *
 * <p>State: {@code {"type":"label","classes":[0.0,1.0]}} or {@code {"type":"label","classes":["a","b"]}}.
 */
public final class LabelEncoder {

  private final List<Object> classes;
  private final boolean numeric;
  private final Map<Object, Integer> index = new HashMap<>();

  /** An encoder for these classes, in this order; all {@link Double} or all {@link String}. */
  public LabelEncoder(List<?> classes) {
    this.classes = normalized(classes);
    this.numeric = !this.classes.isEmpty() && this.classes.get(0) instanceof Double;
    for (int k = 0; k < this.classes.size(); k++) {
      Object c = this.classes.get(k);
      if ((c instanceof Double) != numeric || index.put(c, k) != null) {
        throw new IllegalArgumentException("label classes must be distinct and all numbers or all text, got "
            + classes);
      }
    }
  }

  /** Fits the sorted distinct non-missing values of a whole target column. */
  public static LabelEncoder fit(Column target) {
    Fitter<LabelEncoder> f = fitter(target.name());
    f.accept(io.busflow.data.Batch.of(target));
    return f.finish();
  }

  /** A fitter over a stream of batches holding the target column {@code column}. */
  public static Fitter<LabelEncoder> fitter(String column) {
    return new LabelFitter(column);
  }

  /** The classes in code order. */
  public List<Object> classes() {
    return classes;
  }

  /** Whether the classes are numbers ({@link Double}) rather than text. */
  public boolean isNumeric() {
    return numeric;
  }

  /** Each row's class code; fails naming the row and value for a missing or unknown class. */
  public int[] encode(Column target) {
    if (numeric && !(target instanceof StringColumn)) {
      return encodeNumbers(target);
    }
    String[] text = target instanceof StringColumn sc ? sc.values() : null;
    double[] num = text == null ? Columns.doubles(target) : null;
    int[] out = new int[target.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = text != null ? text[i] : Double.isNaN(num[i]) ? null : (Object) num[i];
      Integer k = v == null ? null : index.get(v);
      if (k == null) {
        throw unknown(target, i);
      }
      out[i] = k;
    }
    return out;
  }

  /**
   * {@link #encode} of numbers without boxing each: a class is found by its bits ({@link Double#equals}, as the
   * index's), in the classes sorted by their bits.
   */
  private int[] encodeNumbers(Column target) {
    double[] num = Columns.doubles(target);
    long[] bits = new long[classes.size()];
    for (int k = 0; k < bits.length; k++) {
      bits[k] = Double.doubleToLongBits((Double) classes.get(k));
    }
    long[] sorted = bits.clone();
    java.util.Arrays.sort(sorted);
    int[] code = new int[sorted.length];
    for (int k = 0; k < bits.length; k++) {
      code[java.util.Arrays.binarySearch(sorted, bits[k])] = k;
    }
    int[] out = new int[num.length];
    for (int i = 0; i < out.length; i++) {
      int at = Double.isNaN(num[i]) ? -1 : java.util.Arrays.binarySearch(sorted, Double.doubleToLongBits(num[i]));
      if (at < 0) {
        throw unknown(target, i);
      }
      out[i] = code[at];
    }
    return out;
  }

  private IllegalArgumentException unknown(Column target, int i) {
    return new IllegalArgumentException("target column '" + target.name() + "' row " + i + ": value '"
        + target.text(i) + "' is " + (target.isMissing(i) ? "missing" : "not a known class " + classes)
        + "; drop such rows before training or scoring");
  }

  /** The classes of the given codes as a column: numeric when the classes are numbers, else text. */
  public Column decode(String name, int[] codes) {
    if (numeric) {
      double[] v = new double[codes.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (Double) classes.get(codes[i]);
      }
      return new NumericColumn(name, v);
    }
    String[] v = new String[codes.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (String) classes.get(codes[i]);
    }
    return new StringColumn(name, v);
  }

  /** A class as text, as a CSV writer prints it: {@code 1.0} as {@code "1"}. */
  public static String text(Object cls) {
    return cls instanceof Double d ? new NumericColumn("c", new double[] {d}).text(0) : (String) cls;
  }

  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "label");
    s.put("classes", new ArrayList<>(classes));
    return s;
  }

  /** The encoder whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static LabelEncoder fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "label");
    return new LabelEncoder(StateMaps.list(state, "classes"));
  }

  private static List<Object> normalized(List<?> classes) {
    List<Object> out = new ArrayList<>(classes.size());
    for (int k = 0; k < classes.size(); k++) {
      Object c = classes.get(k);
      if (!(c instanceof Number) && !(c instanceof String)) {
        throw new IllegalArgumentException("state key 'classes[" + k + "]' should be a number or a string but is "
            + c);
      }
      out.add(c instanceof Number n ? (Object) n.doubleValue() : c);
    }
    return List.copyOf(out);
  }

  /** Fits the sorted distinct values from {@link ColumnStats}. */
  private static final class LabelFitter extends StatsFitter<LabelEncoder> {
    LabelFitter(String column) {
      super("label", List.of(column), false, true);
    }

    @Override
    LabelEncoder build(Map<String, ColumnStats> stats) {
      return new LabelEncoder(stats.values().iterator().next().sortedDistinct());
    }
  }
}
