package io.busflow.data.model;

import io.busflow.data.transform.LabelEncoder;
import io.busflow.data.transform.StateMaps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A linear model's coefficients by feature name, largest |coef| first (ties in feature order): one row for a
 * regression or a binary classifier (whose coefficients raise the positive class, the second), one per class
 * for a multinomial classifier.
 *
 * @param rows the coefficient rows, in class order
 */
public record Coefficients(List<Row> rows) {

  /**
   * One row.
   *
   * @param forClass  the class whose score these coefficients make, as text; null for a regression
   * @param intercept the row's intercept
   * @param terms     the coefficients, largest |coef| first
   */
  public record Row(String forClass, double intercept, List<Term> terms) {
    public Row {
      terms = List.copyOf(terms);
    }
  }

  /** One feature's coefficient. */
  public record Term(String feature, double coef) {
  }

  public Coefficients {
    rows = List.copyOf(rows);
  }

  /** The table of a linear model, or null for a model without coefficients. */
  public static Coefficients of(Model model) {
    if (model instanceof LogisticRegression lr) {
      return logistic(lr);
    }
    if (model instanceof LinearRegression lin) {
      return new Coefficients(List.of(row(null, lin.intercept(), lin.featureNames(), lin.coef())));
    }
    return null;
  }

  private static Coefficients logistic(LogisticRegression lr) {
    double[][] coef = lr.coef();
    double[] b = lr.intercept();
    List<Object> classes = lr.classes();
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < coef.length; k++) {
      Object cls = coef.length == 1 ? classes.get(1) : classes.get(k);
      rows.add(row(LabelEncoder.text(cls), b[k], lr.featureNames(), coef[k]));
    }
    return new Coefficients(rows);
  }

  private static Row row(String cls, double intercept, List<String> features, double[] coef) {
    List<Term> terms = new ArrayList<>();
    for (int j = 0; j < coef.length; j++) {
      terms.add(new Term(features.get(j), coef[j]));
    }
    terms.sort(Comparator.comparingDouble((Term t) -> -Math.abs(t.coef())));
    return new Row(cls, intercept, terms);
  }

  /**
   * JSON-shaped: {@code [{"class":"1","intercept":…,"coefficients":[{"feature":"tenure","coef":-1.3},…]},…]},
   * {@code "class"} absent for a regression.
   */
  public List<Object> toList() {
    List<Object> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = StateMaps.ordered();
      if (r.forClass() != null) {
        m.put("class", r.forClass());
      }
      m.put("intercept", r.intercept());
      List<Object> terms = new ArrayList<>();
      for (Term t : r.terms()) {
        Map<String, Object> tm = StateMaps.ordered();
        tm.put("feature", t.feature());
        tm.put("coef", t.coef());
        terms.add(tm);
      }
      m.put("coefficients", terms);
      out.add(m);
    }
    return out;
  }
}
