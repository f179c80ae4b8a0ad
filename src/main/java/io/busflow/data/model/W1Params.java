package io.busflow.data.model;

import io.busflow.data.transform.OneHotEncoder;
import io.busflow.data.transform.Preprocessor;
import io.busflow.data.transform.Scaler;
import io.busflow.data.transform.SimpleImputer;
import io.busflow.data.transform.StateMaps;
import io.busflow.data.transform.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The W1 workload's given parameters ({@code churn-params.json}, see shared/workloads/README.md) as a
 * fitted {@link Preprocessor} and binary {@link LogisticRegression} doing exactly the README's arithmetic:
 * impute each numeric column with its {@code impute} value, then {@code (x − mean) / std}; one-hot
 * {@code categorical} columns with the given level order (missing or unknown → zeros); features in
 * {@code features} order; {@code p = 1 / (1 + e^−z)}, class 1 when {@code p >= threshold}. The id column
 * is carried through; the label column is not a feature.
 *
 * @param preprocessor the fitted preprocessing
 * @param model        the model, classes {@code [0.0, 1.0]}, so {@code p_1} is the churn probability
 */
public record W1Params(Preprocessor preprocessor, LogisticRegression model) {

  /** Reads a parsed {@code churn-params.json}; fails naming the key that is missing or wrong. */
  public static W1Params load(Map<String, Object> json) {
    Map<String, Object> numeric = StateMaps.map(json, "numeric");
    List<String> numericCols = new ArrayList<>(numeric.keySet());
    Map<String, Object> fill = new LinkedHashMap<>();
    double[] mean = new double[numericCols.size()];
    double[] std = new double[numericCols.size()];
    for (int j = 0; j < mean.length; j++) {
      String c = numericCols.get(j);
      Map<String, Object> p = StateMaps.asMap(numeric.get(c), "numeric." + c);
      fill.put(c, number(p, c, "impute"));
      mean[j] = number(p, c, "mean");
      std[j] = number(p, c, "std");
    }
    Map<String, List<String>> levels = new LinkedHashMap<>();
    StateMaps.map(json, "categorical").forEach((c, l) -> levels.put(c, StateMaps.asStrings(l, "categorical." + c)));
    List<String> features = StateMaps.strings(json, "features");
    List<Transformer> steps = List.of(new SimpleImputer(SimpleImputer.Strategy.CONSTANT, fill),
        new Scaler(Scaler.Method.STANDARD, numericCols, mean, std), new OneHotEncoder(levels));
    requireKnown(features, numericCols, levels);
    Preprocessor pre = new Preprocessor(StateMaps.string(json, "id_column", null),
        StateMaps.string(json, "label_column", null), steps, features);
    return new W1Params(pre, model(StateMaps.map(json, "model"), features));
  }

  private static LogisticRegression model(Map<String, Object> m, List<String> features) {
    String type = StateMaps.string(m, "type");
    if (!type.equals("logistic")) {
      throw new IllegalArgumentException("state key 'model.type' is '" + type + "' but 'logistic' was expected");
    }
    double[] coef = StateMaps.doubles(m, "coef");
    if (coef.length != features.size()) {
      throw new IllegalArgumentException("state key 'model.coef' has " + coef.length + " values but 'features' has "
          + features.size());
    }
    return new LogisticRegression(features, List.of(0.0, 1.0), new double[][] {coef},
        new double[] {StateMaps.number(m, "intercept")}, StateMaps.number(m, "threshold", 0.5), null);
  }

  private static void requireKnown(List<String> features, List<String> numeric, Map<String, List<String>> levels) {
    for (String f : features) {
      int eq = f.indexOf('=');
      boolean ok = eq < 0 ? numeric.contains(f)
          : levels.containsKey(f.substring(0, eq)) && levels.get(f.substring(0, eq)).contains(f.substring(eq + 1));
      if (!ok) {
        throw new IllegalArgumentException("state key 'features' names '" + f
            + "', which is neither a 'numeric' column nor a 'categorical' column=level");
      }
    }
  }

  private static double number(Map<String, Object> p, String column, String key) {
    try {
      return StateMaps.number(p, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("numeric." + column + ": " + e.getMessage(), e);
    }
  }

  /** Both states, JSON-shaped: {@code {"preprocessor":{…},"model":{…}}}. */
  public Map<String, Object> toState() {
    Map<String, Object> s = StateMaps.ordered();
    s.put("preprocessor", preprocessor.toState());
    s.put("model", model.toState());
    return s;
  }
}
