package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.metrics.CalibrationCurve;
import io.busflow.data.metrics.ClassificationMetrics;
import io.busflow.data.metrics.ClassificationReport;
import io.busflow.data.metrics.PrecisionRecallCurve;
import io.busflow.data.metrics.RegressionDiagnostics;
import io.busflow.data.metrics.RegressionMetrics;
import io.busflow.data.metrics.RocCurve;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.model.Predictions;
import io.busflow.pipeline.internal.Batches;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects true labels beside predictions, batch by batch, and computes scikit-learn's metrics at the end:
 * accuracy, macro precision/recall/F1, confusion matrix, log loss and (two classes) ROC AUC for
 * classifiers; RMSE, MAE and R² for regression. Rows without a label are counted and left out. Holds the
 * label and the prediction columns of every evaluated row (8 bytes each). Confined to one thread.
 */
final class Evaluation {

  static final String TRUE = "__label";
  /** The most points a curve in the report has. */
  static final int MAX_POINTS = 200;

  private final OutputSchema schema;
  private final boolean classifier;
  private final String positiveColumn;
  private final List<Batch> kept = new ArrayList<>();
  private long withoutLabel;

  /** Evaluates the predictions of a model whose output is {@code schema}. */
  Evaluation(OutputSchema schema) {
    this.schema = schema;
    this.classifier = schema.classifier();
    this.positiveColumn = schema.positive();
  }

  /** Takes the true {@code labels} of the rows whose {@code predictions} (a model's batch) were made. */
  void add(Column labels, Batch predictions) {
    int[] rows = new int[labels.size()];
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      if (labels.isMissing(i)) {
        withoutLabel++;
      } else {
        rows[n++] = i;
      }
    }
    List<Column> cols = new ArrayList<>();
    cols.add(labels.renamed(TRUE));
    cols.add(predictions.column(schema.prediction()).renamed(Predictions.PREDICTION));
    schema.probabilities().forEach(name -> cols.add(predictions.column(name)));
    Batch b = new Batch(predictions.index(), predictions.firstRow(), labels.size(), cols);
    kept.add(n == rows.length ? b : b.selectRows(java.util.Arrays.copyOf(rows, n)));
  }

  /** Takes every row {@code other} took, after those taken so far (partitions are merged in input order). */
  void addAll(Evaluation other) {
    for (Batch b : Batches.sorted(other.kept)) {
      kept.add(new Batch(kept.size(), 0, b.rowCount(), b.columns(), b.origin()));
    }
    withoutLabel += other.withoutLabel;
  }

  /**
   * {@code {"rows":…,"rowsWithoutLabel":…,"metrics":{…}}} plus the numbers behind the plots: for classifiers
   * {@code classReport}, and for binary ones {@code roc}, {@code precisionRecall} (each at most
   * {@value #MAX_POINTS} points) and {@code calibration}; for regression {@code predictedVsActual}. A metric
   * that cannot be computed is left out and said why.
   */
  JsonObject report() {
    Batch all = Batches.concat(kept);
    JsonObject out = new JsonObject().put("rows", all == null ? 0 : all.rowCount()).put("rowsWithoutLabel", withoutLabel);
    if (all == null || all.rowCount() == 0) {
      return out.put("metrics", new JsonObject()).put("note", "no labelled rows to evaluate");
    }
    JsonObject metrics = new JsonObject();
    out.put("metrics", metrics);
    List<String> notes = new ArrayList<>();
    if (classifier) {
      classification(all, out, notes);
    } else {
      regression(all, out, notes);
    }
    return notes.isEmpty() ? out : out.put("notes", notes);
  }

  private void regression(Batch all, JsonObject out, List<String> notes) {
    Column truth = all.column(TRUE);
    Column pred = all.column(Predictions.PREDICTION);
    attempt(() -> putAll(out.getJsonObject("metrics"), RegressionMetrics.evaluate(truth, pred).toMap()),
        "regression metrics", notes);
    if (truth instanceof NumericColumn t && pred instanceof NumericColumn q) {
      attempt(() -> out.put("predictedVsActual", new JsonObject(RegressionDiagnostics.of(t.values(), q.values(),
          RegressionDiagnostics.DEFAULT_SAMPLE).toMap())), "predicted vs actual", notes);
    }
  }

  private void classification(Batch all, JsonObject out, List<String> notes) {
    JsonObject metrics = out.getJsonObject("metrics");
    Column truth = all.column(TRUE);
    attempt(() -> {
      ClassificationReport r = ClassificationMetrics.evaluate(truth, all.column(Predictions.PREDICTION));
      putAll(metrics, r.toMap());
      out.put("classReport", new JsonObject(r.classScores().toMap()));
    }, "accuracy, precision, recall, F1", notes);
    attempt(() -> metrics.put("log_loss", ClassificationMetrics.logLoss(truth, all, schema.classes(), schema.probabilities())), "log loss", notes);
    if (positiveColumn != null) {
      binary(truth, ((NumericColumn) all.column(positiveColumn)).values(), out, notes);
    }
  }

  private static void binary(Column truth, double[] p, JsonObject out, List<String> notes) {
    JsonObject metrics = out.getJsonObject("metrics");
    attempt(() -> {
      RocCurve roc = RocCurve.of(truth, p);
      metrics.put("roc_auc", roc.auc());
      out.put("roc", new JsonObject(roc.thinned(MAX_POINTS).toMap()));
    }, "ROC AUC", notes);
    attempt(() -> {
      PrecisionRecallCurve pr = PrecisionRecallCurve.of(truth, p);
      metrics.put("average_precision", pr.averagePrecision());
      out.put("precisionRecall", new JsonObject(pr.thinned(MAX_POINTS).toMap()));
    }, "average precision", notes);
    attempt(() -> out.put("calibration",
        new JsonObject(CalibrationCurve.of(truth, p, CalibrationCurve.DEFAULT_BINS).toMap())), "calibration", notes);
  }

  private static void putAll(JsonObject metrics, Map<String, Object> m) {
    m.forEach(metrics::put);
  }

  private static void attempt(Runnable r, String what, List<String> notes) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      notes.add(what + " not computed: " + e.getMessage());
    }
  }
}
