package io.busflow.data.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * scikit-learn's {@code classification_report}: precision, recall, F1 and support per class, their macro
 * and support-weighted averages, and accuracy (a score is 0 where its denominator is, scikit-learn's
 * {@code zero_division} default).
 *
 * @param classes  one row per label, in the report's label order
 * @param accuracy fraction of rows predicted right
 * @param macro    unweighted mean of the rows (support: all rows)
 * @param weighted mean of the rows weighted by their support (support: all rows)
 */
public record ClassScores(List<Row> classes, double accuracy, Row macro, Row weighted) {

  /** Precision, recall, F1 and support of one label (or an average, label null). */
  public record Row(String label, double precision, double recall, double f1, long support) {
  }

  public ClassScores {
    classes = List.copyOf(classes);
  }

  /** The report of a confusion matrix (row = true label) over {@code labels}. */
  static ClassScores of(List<String> labels, long[][] cm) {
    List<Row> rows = new ArrayList<>();
    long total = 0;
    long correct = 0;
    for (int a = 0; a < labels.size(); a++) {
      long predicted = 0;
      long actual = 0;
      for (int b = 0; b < labels.size(); b++) {
        predicted += cm[b][a];
        actual += cm[a][b];
      }
      double p = predicted == 0 ? 0 : (double) cm[a][a] / predicted;
      double r = actual == 0 ? 0 : (double) cm[a][a] / actual;
      rows.add(new Row(labels.get(a), p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), actual));
      total += actual;
      correct += cm[a][a];
    }
    return new ClassScores(rows, total == 0 ? Double.NaN : (double) correct / total, average(rows, total, false),
        average(rows, total, true));
  }

  private static Row average(List<Row> rows, long total, boolean weighted) {
    double p = 0;
    double r = 0;
    double f = 0;
    double w = 0;
    for (Row row : rows) {
      double weight = weighted ? row.support() : 1;
      p += weight * row.precision();
      r += weight * row.recall();
      f += weight * row.f1();
      w += weight;
    }
    return new Row(null, p / w, r / w, f / w, total);
  }

  /**
   * JSON-shaped: {@code {"classes":[{"label","precision","recall","f1","support"},…],"accuracy":…,
   * "macro":{"precision","recall","f1","support"},"weighted":{…}}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Curves.ordered();
    List<Object> out = new ArrayList<>();
    classes.forEach(r -> out.add(row(r)));
    m.put("classes", out);
    m.put("accuracy", accuracy);
    m.put("macro", row(macro));
    m.put("weighted", row(weighted));
    return m;
  }

  private static Map<String, Object> row(Row r) {
    Map<String, Object> m = Curves.ordered();
    if (r.label() != null) {
      m.put("label", r.label());
    }
    m.put("precision", r.precision());
    m.put("recall", r.recall());
    m.put("f1", r.f1());
    m.put("support", r.support());
    return m;
  }
}
