package io.busflow.data.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification metrics of one evaluation, as scikit-learn computes them.
 *
 * @param labels    the sorted union of true and predicted labels, as text
 * @param confusion counts, row = true label, column = predicted label, in {@code labels} order
 * @param accuracy  fraction of rows predicted right
 * @param precision macro average of per-label precision (0 for a label never predicted)
 * @param recall    macro average of per-label recall
 * @param f1        macro average of per-label F1 (0 where precision + recall is 0)
 */
public record ClassificationReport(List<String> labels, long[][] confusion, double accuracy, double precision,
    double recall, double f1) {

  /** scikit-learn's {@code classification_report} of the same predictions: per label and averaged. */
  public ClassScores classScores() {
    return ClassScores.of(labels, confusion);
  }

  /**
   * JSON-shaped: {@code {"accuracy":…,"precision_macro":…,"recall_macro":…,"f1_macro":…,"labels":[…],
   * "confusion_matrix":[[…],…]}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy);
    m.put("precision_macro", precision);
    m.put("recall_macro", recall);
    m.put("f1_macro", f1);
    m.put("labels", new ArrayList<Object>(labels));
    List<Object> rows = new ArrayList<>();
    for (long[] r : confusion) {
      List<Object> row = new ArrayList<>();
      for (long v : r) {
        row.add(v);
      }
      rows.add(row);
    }
    m.put("confusion_matrix", rows);
    return m;
  }
}
