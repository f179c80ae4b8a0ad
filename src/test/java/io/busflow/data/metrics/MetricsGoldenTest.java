package io.busflow.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.fixtures.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Metrics of scikit-learn's own test predictions must equal scikit-learn's metrics of them. */
class MetricsGoldenTest {

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer", "iris", "wine"})
  void classificationMetrics_ofScikitLearnPredictions_equalScikitLearns(String name) {
    Map<String, Object> e = Fixtures.jsonFile(Fixtures.golden(name + "_expected.json"));
    Batch test = Fixtures.split(Fixtures.csv(Fixtures.golden(name + ".csv")), "test");
    Batch pred = Fixtures.csv(Fixtures.golden(name + "_test_pred.csv"));

    ClassificationReport r = ClassificationMetrics.evaluate(test.column("target"), pred.column("prediction"));
    assertEquals(num(e, "accuracy"), r.accuracy(), 1e-12);
    assertEquals(num(e, "precision_macro"), r.precision(), 1e-12);
    assertEquals(num(e, "recall_macro"), r.recall(), 1e-12);
    assertEquals(num(e, "f1_macro"), r.f1(), 1e-12);
    assertEquals(e.get("confusion_matrix"), asIntLists(r.confusion()));
    assertEquals(num(e, "log_loss"), logLoss(test.column("target"), pred), 1e-12);
    if (e.containsKey("roc_auc")) {
      double[] scores = pred.numeric("p_1").values();
      assertEquals(num(e, "roc_auc"), ClassificationMetrics.rocAuc(test.column("target"), scores), 1e-12);
    }
  }

  @Test
  void regressionMetrics_ofScikitLearnPredictions_equalScikitLearns() {
    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) Fixtures.jsonFile(Fixtures.golden("diabetes_expected.json"))
        .get("ridge");
    Batch test = Fixtures.split(Fixtures.csv(Fixtures.golden("diabetes.csv")), "test");
    Batch pred = Fixtures.csv(Fixtures.golden("diabetes_test_pred.csv"));
    RegressionMetrics m = RegressionMetrics.evaluate(test.column("target"), pred.column("ridge"));
    assertEquals(num(e, "r2"), m.r2(), 1e-12);
    assertEquals(num(e, "mae"), m.mae(), 1e-9);
    assertEquals(num(e, "rmse"), m.rmse(), 1e-9);
    assertEquals(List.of("rmse", "mae", "r2"), new ArrayList<>(m.toMap().keySet()));
  }

  @Test
  void rocAuc_tiesCountHalf_asScikitLearn() { // values from sklearn.metrics.roc_auc_score
    NumericColumn y = new NumericColumn("y", new double[] {0, 0, 1, 1});
    assertEquals(0.75, ClassificationMetrics.rocAuc(y, new double[] {0.1, 0.4, 0.35, 0.8}), 1e-15);
    assertEquals(0.5, ClassificationMetrics.rocAuc(y, new double[] {0.5, 0.5, 0.5, 0.5}), 1e-15);
    assertEquals(0.875, ClassificationMetrics.rocAuc(y, new double[] {0.1, 0.5, 0.5, 0.9}), 1e-15);
  }

  @Test
  void logLoss_clipsCertainWrongAnswersAtMachineEpsilon() {
    StringColumn y = new StringColumn("y", new String[] {"a", "b"});
    Batch p = Batch.of(new NumericColumn("p_a", new double[] {0.0, 0.0}),
        new NumericColumn("p_b", new double[] {1.0, 1.0}));
    double expected = (-Math.log(ClassificationMetrics.EPS) - Math.log(1 - ClassificationMetrics.EPS)) / 2;
    assertEquals(expected, ClassificationMetrics.logLoss(y, p, List.of("a", "b"), List.of("p_a", "p_b")), 1e-12);
  }

  @Test
  void classificationMetrics_labelMissingFromProbabilities_failsNamingIt() {
    StringColumn y = new StringColumn("y", new String[] {"a", "c"});
    Batch p = Batch.of(new NumericColumn("p_a", new double[] {1, 0}), new NumericColumn("p_b", new double[] {0, 1}));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.logLoss(y, p, List.of("a", "b"), List.of("p_a", "p_b")));
    assertTrue(ex.getMessage().contains("'c'") && ex.getMessage().contains("[a, b]"), ex.getMessage());
  }

  private static List<Object> asIntLists(long[][] m) {
    List<Object> out = new ArrayList<>();
    for (long[] r : m) {
      List<Object> row = new ArrayList<>();
      for (long v : r) {
        row.add((int) v);
      }
      out.add(row);
    }
    return out;
  }

  private static double num(Map<String, Object> e, String key) {
    return ((Number) e.get(key)).doubleValue();
  }

  /** Log loss under a fixture's probability columns, {@code p_<class>} as scikit-learn's output was written. */
  private static double logLoss(Column truth, Batch pred) {
    List<String> columns = pred.columnNames().stream().filter(n -> n.startsWith("p_")).toList();
    List<Object> classes = columns.stream().<Object>map(n -> n.substring(2).matches("-?[0-9.]+")
        ? (Object) Double.parseDouble(n.substring(2)) : n.substring(2)).toList();
    return ClassificationMetrics.logLoss(truth, pred, classes, columns);
  }
}
