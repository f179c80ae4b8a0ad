package io.busflow.data.transform;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.Names;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Declared preprocessing steps, fitted in order, that turn a batch into a dense feature matrix.
 *
 * <h2>Spec</h2>
 * A JSON-shaped map (a bare list is read as {@code steps}):
 * <pre>{@code
 * {
 *   "id_column": "customer_id",          // optional: copied untouched as the first output column
 *   "label_column": "churned",           // optional: never a feature, not needed at transform time
 *   "steps": [
 *     {"impute": {"strategy": "mean", "columns": ["age", "income"]}},    // mean|median|most_frequent|constant
 *     {"impute": {"strategy": "constant", "columns": ["city"], "fill_value": "unknown"}},
 *     {"scale":  {"method": "standard", "columns": ["age", "income"]}},  // standard|minmax
 *     {"onehot": {"columns": ["country"], "levels": {"country": ["FR", "DE"]}}},  // levels optional
 *     {"select": ["age", "income", "country=FR"]},
 *     {"drop":   ["notes"]}
 *   ],
 *   "features": ["age", "income", "country=FR", "country=DE"]  // optional output order
 * }
 * }</pre>
 * Each step works on the output of the ones before it (see {@link SimpleImputer}, {@link Scaler},
 * {@link OneHotEncoder}, {@link ColumnSelection}). The features are the columns left after the last step,
 * less the id and label columns, in batch order, unless {@code features} gives them (and their order).
 * Boolean features come out as 1/0; a text column left at the end is an error.
 *
 * <h2>Fitting over a stream</h2>
 * Imputers, scalers and one-hot encoders fit from per-column statistics that ignore missing values, so a
 * step that reads columns changed earlier only by imputers is fitted in the same pass as those imputers,
 * with their fill values applied to its statistics at the end: the usual impute → scale → one-hot spec
 * fits in one pass ({@link #fitter(Map)}). A step that reads a column changed by a scaler or made by a
 * one-hot step needs the data as transformed by the steps before it, hence another pass:
 * {@link #fit(Map, Supplier)} takes a re-iterable source and makes as many passes as {@link #passes(Map)}.
 * Memory: constant per column, except the median imputer (8 bytes per row of its columns) and distinct
 * level counts.
 *
 * <h2>State</h2>
 * {@code {"type":"preprocessor","id_column":…,"label_column":…,"steps":[step states],"features":[…]}},
 * each step state as its class documents.
 */
public final class Preprocessor implements Transformer {

  private final String idColumn;
  private final String labelColumn;
  private final List<Transformer> steps;
  private final List<String> features;
  private final int oneHotColumns;

  /** A fitted preprocessor; {@code idColumn} and {@code labelColumn} may be null. */
  public Preprocessor(String idColumn, String labelColumn, List<Transformer> steps, List<String> features) {
    this.idColumn = idColumn;
    this.labelColumn = labelColumn;
    this.steps = List.copyOf(steps);
    this.features = List.copyOf(features);
    this.oneHotColumns = this.steps.stream()
        .mapToInt(t -> t instanceof OneHotEncoder o ? o.levels().size() : 0).sum();
    if (new LinkedHashSet<>(features).size() != features.size()) {
      throw new IllegalArgumentException("preprocessor features repeat a name: " + features);
    }
  }

  /** A one-pass fitter for {@code spec}; fails at once, naming the step, when the spec needs more passes. */
  public static Fitter<Preprocessor> fitter(Map<String, Object> spec) {
    return Spec.parse(spec).fitter();
  }

  /** Fits {@code spec} with as many passes over {@code source} as it needs, each from a new iterator. */
  public static Preprocessor fit(Map<String, Object> spec, Supplier<Iterator<Batch>> source) {
    return Spec.parse(spec).fit(source);
  }

  /** How many passes over the data {@link #fit(Map, Supplier)} makes for {@code spec}. */
  public static int passes(Map<String, Object> spec) {
    return Spec.parse(spec).passes();
  }

  /**
   * The feature matrix of {@code batch}: the id column first when configured and present (the input's,
   * untouched; a caller that keeps the ids itself may leave it out), then one
   * {@link io.busflow.data.NumericColumn} per feature in {@link #featureNames()} order; same index and first
   * row. Input columns not used are ignored. Fails naming a feature input column that is absent.
   */
  @Override
  public Batch transform(Batch batch) {
    Batch b = batch;
    for (Transformer t : steps) {
      b = t.transform(b);
    }
    List<Column> out = new ArrayList<>(features.size() + 1);
    if (idColumn != null && batch.has(idColumn)) {
      out.add(batch.column(idColumn));
    }
    for (String f : features) {
      out.add(Columns.numeric(b.column(f)));
    }
    return batch.withOnly(out);
  }

  /**
   * What one input column must hold for {@link #transform} to work.
   *
   * @param type           {@link ColumnType#NUMERIC} (numbers; booleans count as 1/0) or
   *                       {@link ColumnType#STRING} (text levels)
   * @param missingAllowed whether a missing value is fine: the column is imputed, one-hot encoded (a missing
   *                       level gives all zeros) or the id column; otherwise a missing value would reach the
   *                       model as NaN
   */
  public record Input(ColumnType type, boolean missingAllowed) {}

  /**
   * The input columns {@link #transform} reads, in first-use order: the id column, the columns the steps
   * read, and the features that pass through untouched. The label and any other column are not needed.
   * The type is the one the first step reading the column needs.
   */
  public Map<String, Input> inputs() {
    Map<String, Input> in = new LinkedHashMap<>();
    Set<String> made = new HashSet<>();
    if (idColumn != null) {
      in.put(idColumn, new Input(ColumnType.STRING, true));
    }
    for (Transformer t : steps) {
      t.reads().forEach((c, input) -> use(in, made, c, input.type(), input.missingAllowed()));
      made.addAll(t.makes());
    }
    features.forEach(f -> use(in, made, f, ColumnType.NUMERIC, false));
    return in;
  }

  /** Notes that a step reads input column {@code c}; a column made by an earlier step is no input. */
  private static void use(Map<String, Input> in, Set<String> made, String c, ColumnType type, boolean missingOk) {
    if (made.contains(c)) {
      return;
    }
    Input before = in.get(c);
    in.put(c, before == null ? new Input(type, missingOk)
        : new Input(before.type(), before.missingAllowed() || missingOk));
  }

  /** Features of one batch and, per one-hot column, the values met in it that were not a fitted level. */
  public record Transformed(Batch features, Map<String, Long> unknownLevels) {}

  /**
   * {@link #transform(Batch)} that also counts the unknown one-hot levels of this batch; exact only while no
   * other thread uses this preprocessor.
   */
  public Transformed transformCounting(Batch batch) {
    long[] before = unknownSnapshot();
    Batch features = transform(batch);
    long[] after = unknownSnapshot();
    Map<String, Long> unknown = new LinkedHashMap<>();
    int k = 0;
    for (Transformer t : steps) {
      if (t instanceof OneHotEncoder o) {
        for (String c : o.levels().keySet()) {
          unknown.merge(c, after[k] - before[k], Long::sum);
          k++;
        }
      }
    }
    return new Transformed(features, unknown);
  }

  /** The unknown-level count of every one-hot step's columns, in step and column order. */
  private long[] unknownSnapshot() {
    long[] out = new long[oneHotColumns];
    int k = 0;
    for (Transformer t : steps) {
      if (t instanceof OneHotEncoder o) {
        for (String c : o.levels().keySet()) {
          out[k++] = o.unknownCount(c);
        }
      }
    }
    return out;
  }

  /** The feature names in output order. */
  public List<String> featureNames() {
    return features;
  }

  public List<Transformer> steps() {
    return steps;
  }

  /** The id column copied through, or null. */
  public String idColumn() {
    return idColumn;
  }

  /** The label column excluded from the features, or null. */
  public String labelColumn() {
    return labelColumn;
  }

  /** Values met by one-hot steps since this preprocessor was made that were not a fitted level. */
  public long unknownLevelCount() {
    long n = 0;
    for (Transformer t : steps) {
      n += t instanceof OneHotEncoder o ? o.unknownCount() : 0;
    }
    return n;
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("type", "preprocessor");
    s.put("id_column", idColumn);
    s.put("label_column", labelColumn);
    List<Object> st = new ArrayList<>();
    steps.forEach(t -> st.add(t.toState()));
    s.put("steps", st);
    s.put("features", new ArrayList<Object>(features));
    return s;
  }

  /** The preprocessor whose {@link #toState()} is {@code state}; fails naming a bad key. */
  public static Preprocessor fromState(Map<String, Object> state) {
    StateMaps.requireType(state, "preprocessor");
    List<Transformer> steps = new ArrayList<>();
    List<Object> raw = StateMaps.list(state, "steps");
    for (int i = 0; i < raw.size(); i++) {
      steps.add(stepFromState(StateMaps.asMap(raw.get(i), "steps[" + i + "]"), i));
    }
    return new Preprocessor(StateMaps.string(state, "id_column", null),
        StateMaps.string(state, "label_column", null), steps, StateMaps.strings(state, "features"));
  }

  private static Transformer stepFromState(Map<String, Object> s, int i) {
    try {
      return StepTypes.load(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("steps[" + i + "]: " + e.getMessage(), e);
    }
  }

  /**
   * A spec parsed and checked once: every key at every depth, each error a {@link SpecException} naming
   * the key's path inside the spec ({@code steps[0].impute.stratgy}).
   */
  public static final class Spec {
    private static final List<String> KEYS = List.of("id_column", "label_column", "steps", "features");
    private String idColumn;
    private String labelColumn;
    private final List<FitPlan.Planned> steps = new ArrayList<>();
    private List<String> features;
    private FitPlan plan;

    private Spec() {}

    /** Parses a spec map (a bare list is read as {@code steps}); fails with a {@link SpecException}. */
    public static Spec parse(Object raw) {
      Spec s = new Spec();
      Map<String, Object> m = raw instanceof List ? Map.of("steps", raw) : StateMaps.asMap(raw, "spec");
      for (String key : m.keySet()) {
        if (!KEYS.contains(key)) {
          throw new SpecException(key, "'" + key + "' is not a preprocessing key; keys are " + String.join(", ", KEYS)
              + Names.hint(key, KEYS));
        }
      }
      s.idColumn = text(m, "id_column");
      s.labelColumn = text(m, "label_column");
      Object steps = m.get("steps") == null ? List.of() : m.get("steps");
      if (!(steps instanceof List<?> list)) {
        throw new SpecException("steps", "must be a list of steps such as [{\"impute\": {…}}, {\"scale\": {…}}]");
      }
      for (int i = 0; i < list.size(); i++) {
        s.steps.add(step(i, list.get(i)));
      }
      s.features = m.get("features") == null ? null : names(m.get("features"));
      s.plan = new FitPlan(s.steps);
      return s;
    }

    /** {@code {"impute": {…}}} at {@code steps[position]}, parsed by the {@link StepType} its key names. */
    private static FitPlan.Planned step(int position, Object raw) {
      String place = "steps[" + position + "]";
      if (!(raw instanceof Map<?, ?> step) || step.size() != 1) {
        throw new SpecException(place, "must be an object with exactly one key, the step's type (one of "
            + String.join(", ", StepTypes.names()) + "), such as {\"impute\": {\"columns\": [\"age\"]}}, but is "
            + SpecReader.abbreviate(raw));
      }
      String key = String.valueOf(step.keySet().iterator().next());
      StepType type = StepTypes.get(key, place);
      return new FitPlan.Planned(position, key, type.parse(step.get(key), place + "." + key));
    }

    private static String text(Map<String, Object> m, String key) {
      Object v = m.get(key);
      if (v != null && !(v instanceof String)) {
        throw new SpecException(key, "must be a column name (a string) but is '" + v + "'");
      }
      return (String) v;
    }

    private static List<String> names(Object v) {
      if (!(v instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
        throw new SpecException("features", "must be a list of feature names but is '" + v + "'");
      }
      return l.stream().map(String.class::cast).toList();
    }

    /** How many passes over the data {@link #fit(Supplier)} makes. */
    public int passes() {
      return plan.passes();
    }

    /** A one-pass fitter; fails at once, naming the step, when this spec needs more passes. */
    public Fitter<Preprocessor> fitter() {
      if (plan.passes() > 1) {
        throw new IllegalArgumentException("this preprocessing spec needs " + plan.passes() + " passes ("
            + String.join("; ", plan.reasons) + "); fit it with Preprocessor.fit(spec, source)");
      }
      return new OnePass(this);
    }

    /** Whether this spec fits in one pass with fitters that {@link Fitter#merge merge} partial fits. */
    public boolean mergeable() {
      return plan.passes() == 1 && fitter().mergeable();
    }

    /**
     * Fits with as many passes over {@code source} as needed, each from a new iterator; checks
     * {@link io.busflow.data.Cancellation} between batches.
     */
    public Preprocessor fit(Supplier<Iterator<Batch>> source) {
      List<Transformer> fitted = new ArrayList<>();
      Batch schema = null;
      for (List<FitPlan.Planned> group : plan.groups) {
        GroupFit g = new GroupFit(fitted, group);
        Iterator<Batch> it = source.get();
        while (it.hasNext()) {
          io.busflow.data.Cancellation.check();
          Batch b = it.next();
          schema = schema == null ? b.slice(0, 0) : schema;
          g.accept(b);
        }
        fitted.addAll(g.finish());
      }
      return build(fitted, schema);
    }

    Preprocessor build(List<Transformer> fitted, Batch schema) {
      if (schema == null) {
        throw new IllegalStateException("preprocessor: no batch was seen; fitting needs at least one batch");
      }
      Batch out = schema;
      for (Transformer t : fitted) {
        out = t.transform(out);
      }
      List<String> names = features != null ? features : defaultFeatures(out);
      for (String f : names) {
        requireFeature(out, f);
      }
      return new Preprocessor(idColumn, labelColumn, fitted, names);
    }

    private List<String> defaultFeatures(Batch out) {
      List<String> names = new ArrayList<>(out.columnNames());
      names.remove(idColumn);
      names.remove(labelColumn);
      return names;
    }

    private static void requireFeature(Batch out, String f) {
      if (!out.has(f)) {
        throw new IllegalArgumentException("feature '" + f + "' is not among the columns after the steps "
            + out.columnNames() + "; fix 'features' or the steps");
      }
      if (out.column(f) instanceof StringColumn) {
        throw new IllegalArgumentException("feature '" + f + "' is still text after the steps; one-hot "
            + "encode it, or drop it");
      }
    }
  }

  /** The one-pass fitter. */
  private static final class OnePass implements Fitter<Preprocessor> {
    private final Spec spec;
    private final GroupFit group;
    private Batch schema;

    OnePass(Spec spec) {
      this.spec = spec;
      this.group = new GroupFit(List.of(), spec.steps);
    }

    @Override
    public void accept(Batch batch) {
      schema = schema == null ? batch.slice(0, 0) : schema;
      group.accept(batch);
    }

    @Override
    public Preprocessor finish() {
      return spec.build(group.finish(), schema);
    }

    @Override
    public long keptBytes() {
      return group.keptBytes();
    }

    @Override
    public boolean mergeable() {
      return group.mergeable();
    }

    @Override
    public void merge(Fitter<Preprocessor> later) {
      OnePass o = (OnePass) later;
      schema = schema == null ? o.schema : schema;
      group.merge(o.group);
    }
  }

  /** Fits one group of steps in one pass over the data transformed by the steps already fitted. */
  private static final class GroupFit {
    private final List<Transformer> before;
    private final List<FitPlan.Planned> group;
    private final Map<FitPlan.Planned, Fitter<? extends Transformer>> fitters = new LinkedHashMap<>();

    GroupFit(List<Transformer> before, List<FitPlan.Planned> group) {
      this.before = List.copyOf(before);
      this.group = group;
      for (FitPlan.Planned s : group) {
        if (s.step().fits()) {
          fitters.put(s, s.step().fitter());
        }
      }
    }

    void accept(Batch batch) {
      Batch b = batch;
      for (Transformer t : before) {
        b = t.transform(b);
      }
      for (Map.Entry<FitPlan.Planned, Fitter<? extends Transformer>> e : fitters.entrySet()) {
        try {
          e.getValue().accept(b);
        } catch (IllegalArgumentException ex) {
          throw placed(e.getKey(), ex);
        }
      }
    }

    boolean mergeable() {
      return fitters.values().stream().allMatch(Fitter::mergeable);
    }

    long keptBytes() {
      return fitters.values().stream().mapToLong(Fitter::keptBytes).sum();
    }

    @SuppressWarnings("unchecked")
    void merge(GroupFit later) {
      var theirs = later.fitters.values().iterator();
      for (Map.Entry<FitPlan.Planned, Fitter<? extends Transformer>> e : fitters.entrySet()) {
        try {
          ((Fitter<Transformer>) e.getValue()).merge((Fitter<Transformer>) theirs.next());
        } catch (IllegalArgumentException ex) {
          throw placed(e.getKey(), ex);
        }
      }
    }

    List<Transformer> finish() {
      Map<String, Object> fills = new LinkedHashMap<>();
      List<Transformer> out = new ArrayList<>();
      for (FitPlan.Planned s : group) {
        Transformer t = s.step().fits() ? finish(s, fitters.get(s), fills) : s.step().fixed();
        if (t instanceof SimpleImputer imp) {
          imp.fill().forEach(fills::putIfAbsent);
        }
        out.add(t);
      }
      return out;
    }

    /** {@code ex} as the failure of step {@code s}: its message begins with the step, once. */
    private static IllegalArgumentException placed(FitPlan.Planned s, IllegalArgumentException ex) {
      String place = s.describe();
      String m = String.valueOf(ex.getMessage());
      return new IllegalArgumentException(m.startsWith(place) ? m : place + ": " + m, ex);
    }

    /**
     * A statistics fitter finishes as if the imputers before it had filled its columns; a plugin's fitted
     * step must have a state of its own type, or it could not be loaded back.
     */
    private static Transformer finish(FitPlan.Planned s, Fitter<? extends Transformer> f, Map<String, Object> fills) {
      if (f instanceof StatsFitter<? extends Transformer> sf) {
        return sf.finish(fills);
      }
      Transformer t;
      try {
        t = f.finish();
      } catch (IllegalArgumentException ex) {
        throw placed(s, ex);
      }
      Object type = t.toState().get("type");
      if (!s.name().equals(type)) {
        throw new IllegalStateException(s.describe() + ": the fitted step's state has type '" + type + "' but '"
            + s.name() + "' was expected: " + t.getClass().getName() + ".toState() must put its type's name");
      }
      return t;
    }
  }
}
