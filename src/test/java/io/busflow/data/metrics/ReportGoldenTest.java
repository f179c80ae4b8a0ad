package io.busflow.data.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.fixtures.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The numbers behind the report's plots against scikit-learn (golden/make_report_golden.py): ROC and PR
 * curves, ROC AUC, average precision, calibration bins, classification_report, residuals.
 */
class ReportGoldenTest {

  private static final double TOL = 1e-9;
  private static final Map<String, Object> GOLDEN = Fixtures.jsonFile(Fixtures.golden("report_expected.json"));

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer", "ties"})
  void rocCurve_equalsScikitLearns(String name) {
    Map<String, Object> e = curves(name);
    RocCurve roc = RocCurve.of(labels(name), scores(name));
    Map<String, Object> want = map(e, "roc");
    assertClose(want.get("fpr"), roc.fpr(), "fpr");
    assertClose(want.get("tpr"), roc.tpr(), "tpr");
    assertClose(want.get("thresholds"), roc.thresholds(), "thresholds");
    assertEquals(num(e, "roc_auc"), roc.auc(), TOL);
    assertEquals(roc.fpr().length, roc.points());
  }

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer", "ties"})
  void precisionRecallCurve_equalsScikitLearns(String name) {
    Map<String, Object> e = curves(name);
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(labels(name), scores(name));
    Map<String, Object> want = map(e, "pr");
    assertClose(want.get("precision"), pr.precision(), "precision");
    assertClose(want.get("recall"), pr.recall(), "recall");
    assertClose(want.get("thresholds"), pr.thresholds(), "thresholds");
    assertEquals(num(e, "average_precision"), pr.averagePrecision(), TOL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer", "ties"})
  void calibrationCurve_equalsScikitLearns(String name) {
    Map<String, Object> want = map(curves(name), "calibration");
    CalibrationCurve c = CalibrationCurve.of(labels(name), scores(name), 10);
    List<CalibrationCurve.Bin> bins = c.bins();
    double[] mean = bins.stream().mapToDouble(CalibrationCurve.Bin::meanPredicted).toArray();
    double[] fraction = bins.stream().mapToDouble(CalibrationCurve.Bin::fractionPositive).toArray();
    assertClose(want.get("mean_predicted"), mean, "mean predicted");
    assertClose(want.get("fraction_positive"), fraction, "fraction of positives");
    assertEquals(want.get("count"), bins.stream().map(b -> (int) b.count()).toList());
    assertEquals(want.get("index"), bins.stream().map(CalibrationCurve.Bin::index).toList());
  }

  @Test
  void thinnedCurves_keepAtMostMaxPoints_theEnds_andTheExactArea() {
    RocCurve roc = RocCurve.of(labels("ties"), scores("ties"));
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(labels("ties"), scores("ties"));
    RocCurve r = roc.thinned(20);
    PrecisionRecallCurve p = pr.thinned(20);
    assertEquals(20, r.fpr().length);
    assertEquals(20, p.recall().length);
    assertEquals(roc.auc(), r.auc());
    assertEquals(pr.averagePrecision(), p.averagePrecision());
    assertEquals(roc.points(), r.points());
    assertArrayEquals(new double[] {0, 1}, new double[] {r.fpr()[0], r.fpr()[19]});
    assertArrayEquals(new double[] {1, 0}, new double[] {p.recall()[0], p.recall()[19]});
    assertEquals(roc.tpr()[(int) Math.round(5 * (roc.points() - 1) / 19.0)], r.tpr()[5]);
    assertEquals(null, r.toMap().get("thresholds") instanceof List<?> l ? l.get(0) : "not a list");
    assertTrue(roc.thinned(500).fpr().length == roc.points(), "a short curve is kept whole");
  }

  @ParameterizedTest
  @ValueSource(strings = {"breast_cancer", "iris", "wine"})
  void classScores_equalClassificationReport(String name) {
    Map<String, Object> want = map(map(GOLDEN, "class_report"), name);
    Batch test = Fixtures.split(Fixtures.csv(Fixtures.golden(name + ".csv")), "test");
    Batch pred = Fixtures.csv(Fixtures.golden(name + "_test_pred.csv"));
    ClassificationReport report = ClassificationMetrics.evaluate(test.column("target"), pred.column("prediction"));
    ClassScores s = report.classScores();
    assertEquals(want.get("labels"), report.labels());
    assertEquals(want.get("labels"), s.classes().stream().map(ClassScores.Row::label).toList());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) want.get("per_class");
    for (int k = 0; k < rows.size(); k++) {
      assertRow(rows.get(k), s.classes().get(k), report.labels().get(k));
    }
    assertRow(map(want, "macro"), s.macro(), "macro avg");
    assertRow(map(want, "weighted"), s.weighted(), "weighted avg");
    assertEquals(num(want, "accuracy"), s.accuracy(), TOL);
  }

  @Test
  void residualSummary_equalsNumpys() {
    Map<String, Object> want = map(GOLDEN, "residuals");
    Batch test = Fixtures.split(Fixtures.csv(Fixtures.golden("diabetes.csv")), "test");
    double[] pred = Fixtures.csv(Fixtures.golden("diabetes_test_pred.csv")).numeric("ridge").values();
    RegressionDiagnostics d = RegressionDiagnostics.of(test.numeric("target").values(), pred, 50);
    RegressionDiagnostics.Residuals r = d.residuals();
    double[] ours = {r.mean(), r.std(), r.min(), r.p25(), r.median(), r.p75(), r.max()};
    String[] keys = {"mean", "std", "min", "p25", "median", "p75", "max"};
    for (int i = 0; i < keys.length; i++) {
      assertEquals(num(want, keys[i]), ours[i], TOL, keys[i]);
    }
    assertEquals(num(want, "rows"), d.rows());
    assertEquals(50, d.actual().length);
    assertEquals(test.numeric("target").get(test.rowCount() - 1), d.actual()[49]);
    assertEquals(pred[pred.length - 1], d.predicted()[49]);
  }

  private static void assertRow(Map<String, Object> want, ClassScores.Row got, String what) {
    assertEquals(num(want, "precision"), got.precision(), TOL, what + " precision");
    assertEquals(num(want, "recall"), got.recall(), TOL, what + " recall");
    assertEquals(num(want, "f1-score"), got.f1(), TOL, what + " f1");
    assertEquals(num(want, "support"), got.support(), what + " support");
  }

  private static Map<String, Object> curves(String name) {
    return map(map(GOLDEN, "curves"), name);
  }

  private static Column labels(String name) {
    if (name.equals("ties")) {
      return new NumericColumn("y", doubles(curves(name).get("labels")));
    }
    return Fixtures.split(Fixtures.csv(Fixtures.golden(name + ".csv")), "test").column("target");
  }

  private static double[] scores(String name) {
    if (name.equals("ties")) {
      return doubles(curves(name).get("scores"));
    }
    return Fixtures.csv(Fixtures.golden(name + "_test_pred.csv")).numeric("p_1").values();
  }

  /** Compares element-wise; a null expected value (an infinite threshold) must be +∞. */
  private static void assertClose(Object expected, double[] actual, String what) {
    List<?> e = (List<?>) expected;
    assertEquals(e.size(), actual.length, what + " length");
    for (int i = 0; i < actual.length; i++) {
      double want = e.get(i) == null ? Double.POSITIVE_INFINITY : ((Number) e.get(i)).doubleValue();
      assertEquals(want, actual[i], TOL, what + "[" + i + "]");
    }
  }

  private static double[] doubles(Object list) {
    return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
