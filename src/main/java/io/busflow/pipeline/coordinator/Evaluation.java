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
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects true labels beside predictions, batch by batch, and computes scikit-learn's metrics at the end:
 * accuracy, macro precision/recall/F1, confusion matrix, log loss and (two classes) ROC AUC for
 * classifiers; RMSE, MAE and R² for regression. Rows without a label are counted and left out. Holds the
 * label and the prediction columns of every evaluated row (8 bytes each). Confined to one thread (its report
 * may compute its metrics on more).
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
  /** The estimated bytes of {@link #kept}. */
  private long bytes;
  private long taken;

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
    Batch labelled = n == rows.length ? b : b.selectRows(java.util.Arrays.copyOf(rows, n));
    kept.add(labelled);
    bytes += Batches.bytes(labelled);
    taken += labelled.rowCount();
  }

  /** The labelled rows taken by {@link #add}. */
  long rowCount() {
    return taken;
  }

  /** The estimated bytes of the rows taken by {@link #add} (labels, predictions, probabilities). */
  long bytes() {
    return bytes;
  }

  /** The rows taken so far, in order, as one batch (null when none): what a piece runner sends back. */
  Batch rows() {
    return Batches.concat(kept);
  }

  /** The rows left out so far for want of a label. */
  long withoutLabel() {
    return withoutLabel;
  }

  /** Takes {@code rows} (a piece runner's {@link #rows}, may be null) and its {@code unlabelled}, after those taken so far. */
  void addRows(Batch rows, long unlabelled) {
    if (rows != null) {
      kept.add(new Batch(kept.size(), 0, rows.rowCount(), rows.columns()));
    }
    withoutLabel += unlabelled;
  }

  /** The evaluation of the rows piece runners sent back ({@link #rows}), in piece order. */
  static Evaluation of(OutputSchema schema, List<PieceProtocol.Done> done) {
    Evaluation ev = new Evaluation(schema);
    done.forEach(d -> ev.addRows(d.evaluated(), d.withoutLabel()));
    return ev;
  }

  /** {@link #report(int)} on this thread. */
  JsonObject report() {
    return report(1);
  }

  /**
   * {@code {"rows":…,"rowsWithoutLabel":…,"metrics":{…}}} plus the numbers behind the plots: for classifiers
   * {@code classReport}, and for binary ones {@code roc}, {@code precisionRecall} (each at most
   * {@value #MAX_POINTS} points) and {@code calibration}; for regression {@code predictedVsActual}. A metric
   * that cannot be computed is left out and said why. With {@code threads} above 1 the metrics (each a pass over
   * the rows, the curves a sort) are computed at once on the common pool and this thread; the report is the same.
   */
  JsonObject report(int threads) {
    Batch all = Batches.concat(kept);
    JsonObject out = new JsonObject().put("rows", all == null ? 0 : all.rowCount()).put("rowsWithoutLabel", withoutLabel);
    if (all == null || all.rowCount() == 0) {
      return out.put("metrics", new JsonObject()).put("note", "no labelled rows to evaluate");
    }
    JsonObject metrics = new JsonObject();
    out.put("metrics", metrics);
    List<String> notes = new ArrayList<>();
    List<Part> parts = classifier ? classification(all) : regression(all);
    var computed = threads > 1 ? parts.parallelStream() : parts.stream();
    for (Part.Done d : computed.map(Part::compute).toList()) {
      metrics.mergeIn(d.metrics());
      out.mergeIn(d.out());
      if (d.note() != null) {
        notes.add(d.note());
      }
    }
    return notes.isEmpty() ? out : out.put("notes", notes);
  }

  /**
   * One metric of the report, computed on its own into its own objects ({@code fill} takes the report's metrics and
   * the report), which are merged into the report in the parts' order; {@code what} names it in a note when it
   * cannot be computed.
   */
  private record Part(String what, java.util.function.BiConsumer<JsonObject, JsonObject> fill) {

    /** What a part put into the metrics and the report, or the note saying why it could not. */
    record Done(JsonObject metrics, JsonObject out, String note) {}

    Done compute() {
      JsonObject metrics = new JsonObject();
      JsonObject out = new JsonObject();
      try {
        fill.accept(metrics, out);
        return new Done(metrics, out, null);
      } catch (IllegalArgumentException e) {
        return new Done(new JsonObject(), new JsonObject(), what + " not computed: " + e.getMessage());
      }
    }
  }

  private static List<Part> regression(Batch all) {
    Column truth = all.column(TRUE);
    Column pred = all.column(Predictions.PREDICTION);
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("regression metrics", (m, out) -> putAll(m, RegressionMetrics.evaluate(truth, pred).toMap())));
    if (truth instanceof NumericColumn t && pred instanceof NumericColumn q) {
      parts.add(new Part("predicted vs actual", (m, out) -> out.put("predictedVsActual",
          new JsonObject(RegressionDiagnostics.of(t.values(), q.values(), RegressionDiagnostics.DEFAULT_SAMPLE).toMap()))));
    }
    return parts;
  }

  private List<Part> classification(Batch all) {
    Column truth = all.column(TRUE);
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("accuracy, precision, recall, F1", (m, out) -> classReport(truth, all, m, out)));
    parts.add(new Part("log loss", (m, out) -> m.put("log_loss",
        ClassificationMetrics.logLoss(truth, all, schema.classes(), schema.probabilities()))));
    if (positiveColumn != null) {
      parts.addAll(binary(truth, ((NumericColumn) all.column(positiveColumn)).values()));
    }
    return parts;
  }

  private static void classReport(Column truth, Batch all, JsonObject metrics, JsonObject out) {
    ClassificationReport r = ClassificationMetrics.evaluate(truth, all.column(Predictions.PREDICTION));
    putAll(metrics, r.toMap());
    out.put("classReport", new JsonObject(r.classScores().toMap()));
  }

  private static List<Part> binary(Column truth, double[] p) {
    return List.of(new Part("ROC AUC", (m, out) -> roc(truth, p, m, out)),
        new Part("average precision", (m, out) -> precisionRecall(truth, p, m, out)),
        new Part("calibration", (m, out) -> out.put("calibration",
            new JsonObject(CalibrationCurve.of(truth, p, CalibrationCurve.DEFAULT_BINS).toMap()))));
  }

  private static void roc(Column truth, double[] p, JsonObject metrics, JsonObject out) {
    RocCurve roc = RocCurve.of(truth, p);
    metrics.put("roc_auc", roc.auc());
    out.put("roc", new JsonObject(roc.thinned(MAX_POINTS).toMap()));
  }

  private static void precisionRecall(Column truth, double[] p, JsonObject metrics, JsonObject out) {
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(truth, p);
    metrics.put("average_precision", pr.averagePrecision());
    out.put("precisionRecall", new JsonObject(pr.thinned(MAX_POINTS).toMap()));
  }

  private static void putAll(JsonObject metrics, Map<String, Object> m) {
    m.forEach(metrics::put);
  }
}
