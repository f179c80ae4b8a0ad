package io.busflow.data.transform;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One-hot encodes text columns, as scikit-learn's {@code OneHotEncoder(handle_unknown='ignore')}.
 *
 * <p>Each encoded column is replaced, at its position, by one numeric column per level, named
 * {@code column=level}, holding 1.0 where the row's value is that level and 0.0 elsewhere. Levels are
 * sorted (by UTF-16 code unit, which is Python's order for text in the Basic Multilingual Plane) unless
 * declared. A value not seen at fit time gives all zeros and is counted ({@link #unknownCounts()}). A
 * missing value (null) gives all zeros too and is not counted as unknown; scikit-learn would instead treat
 * a missing value seen at fit time as a level of its own: impute before encoding to match it.
 *
 * <p>State: {@code {"type":"onehot","levels":{"country":["DE","FR"],"segment":["a","b"]}}}.
 */
public final class OneHotEncoder implements Transformer {

  private final Map<String, List<String>> levels;
  private final Map<String, Map<String, Integer>> index = new HashMap<>();
  private final Map<String, String[]> featureNames = new HashMap<>();
  private final Map<String, LongAdder> unknown = new LinkedHashMap<>();

  /** An encoder with the given levels, in output order, per column. */
  public OneHotEncoder(Map<String, List<String>> levels) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    levels.forEach((c, l) -> copy.put(c, List.copyOf(l)));
    this.levels = Collections.unmodifiableMap(copy);
    copy.forEach((c, l) -> {
      index.put(c, indexOf(c, l));
      unknown.put(c, new LongAdder());
      featureNames.put(c, l.stream().map(level -> featureName(c, level)).toArray(String[]::new));
    });
  }

  /**
   * A fitter for {@code columns}; columns with an entry in {@code declared} keep those levels in that order
   * and are not fitted, the others get their sorted distinct non-missing values.
   */
  public static Fitter<OneHotEncoder> fitter(List<String> columns, Map<String, List<String>> declared) {
    return new OneHotFitter(columns, declared);
  }

  /** The levels of each encoded column, in output order. */
  public Map<String, List<String>> levels() {
    return levels;
  }

  /** Its columns: text, missing allowed (a missing value encodes as all zeros). */
  @Override
  public Map<String, Preprocessor.Input> reads() {
    Map<String, Preprocessor.Input> in = new LinkedHashMap<>();
    levels.keySet().forEach(c -> in.put(c, new Preprocessor.Input(ColumnType.STRING, true)));
    return in;
  }

  /** Its output columns, {@code column=level}. */
  @Override
  public List<String> makes() {
    List<String> out = new ArrayList<>();
    levels.forEach((c, l) -> l.forEach(level -> out.add(featureName(c, level))));
    return out;
  }

  /** How many non-missing values seen by {@link #transform} so far were not a fitted level, per column. */
  public Map<String, Long> unknownCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    unknown.forEach((c, n) -> out.put(c, n.sum()));
    return out;
  }

  /** {@link #unknownCounts()} of one encoded column. */
  public long unknownCount(String column) {
    return unknown.get(column).sum();
  }

  /** The total of {@link #unknownCounts()}. */
  public long unknownCount() {
    long total = 0;
    for (LongAdder n : unknown.values()) {
      total += n.sum();
    }
    return total;
  }

  @Override
  public Batch transform(Batch batch) {
    for (String c : levels.keySet()) {
      batch.column(c);
    }
    List<Column> out = new ArrayList<>();
    for (Column c : batch.columns()) {
      if (levels.containsKey(c.name())) {
        encode(c, out);
      } else {
        out.add(c);
      }
    }
    return batch.withOnly(out);
  }

  private void encode(Column c, List<Column> out) {
    String[] v = Columns.strings(c, "onehot");
    List<String> lv = levels.get(c.name());
    Map<String, Integer> idx = index.get(c.name());
    double[][] ind = new double[lv.size()][v.length];
    long unseen = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] != null) {
        Integer k = idx.get(v[i]);
        if (k == null) {
          unseen++;
        } else {
          ind[k][i] = 1.0;
        }
      }
    }
    unknown.get(c.name()).add(unseen);
    String[] names = featureNames.get(c.name());
    for (int k = 0; k < ind.length; k++) {
      out.add(new NumericColumn(names[k], ind[k]));
    }
  }

  /** The name of the indicator column of {@code level}: {@code column=level}. */
  public static String featureName(String column, String level) {
    return column + "=" + level;
  }

  private static Map<String, Integer> indexOf(String column, List<String> lv) {
    Map<String, Integer> idx = new HashMap<>();
    for (int k = 0; k < lv.size(); k++) {
      if (lv.get(k) == null || idx.put(lv.get(k), k) != null) {
        throw new IllegalArgumentException("onehot: levels of column '" + column
            + "' must be distinct non-null strings, got " + lv);
      }
    }
    return idx;
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "onehot");
    s.put("levels", new LinkedHashMap<String, Object>(levels));
    return s;
  }

  /** The encoder whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static OneHotEncoder fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "onehot");
    Map<String, List<String>> lv = new LinkedHashMap<>();
    StateMaps.map(state, "levels").forEach((c, l) -> lv.put(c, StateMaps.asStrings(l, "levels." + c)));
    return new OneHotEncoder(lv);
  }

  /** Fits sorted levels from {@link ColumnStats}. */
  private static final class OneHotFitter extends StatsFitter<OneHotEncoder> {
    private final List<String> columns;
    private final Map<String, List<String>> declared;

    OneHotFitter(List<String> columns, Map<String, List<String>> declared) {
      super("onehot", undeclared(columns, declared), false, true);
      this.columns = List.copyOf(columns);
      this.declared = Map.copyOf(declared);
    }

    private static List<String> undeclared(List<String> columns, Map<String, List<String>> declared) {
      List<String> out = new ArrayList<>(columns);
      out.removeAll(declared.keySet());
      return out;
    }

    @Override
    OneHotEncoder build(Map<String, ColumnStats> stats) {
      Map<String, List<String>> lv = new LinkedHashMap<>();
      for (String c : columns) {
        lv.put(c, declared.containsKey(c) ? declared.get(c) : fitted(stats.get(c)));
      }
      return new OneHotEncoder(lv);
    }

    private List<String> fitted(ColumnStats s) {
      if (s.isNumeric()) {
        throw new IllegalArgumentException("onehot: column '" + s.column
            + "' is numeric; only text columns can be one-hot encoded here");
      }
      List<String> out = new ArrayList<>();
      for (Object o : s.sortedDistinct()) {
        out.add((String) o);
      }
      return out;
    }
  }
}
