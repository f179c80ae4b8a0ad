package io.busflow.pipeline.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.model.OutputSchema;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The evaluation report is the same whether its metrics are computed on one thread or on several at once. */
class EvaluationTest {

  @Test
  void binaryReport_onSeveralThreads_equalsTheOneThreadReport_keysInTheSameOrder() {
    OutputSchema schema = OutputSchema.classifier(List.of(0.0, 1.0));
    Evaluation ev = new Evaluation(schema);
    Random random = new Random(3);
    for (int b = 0; b < 5; b++) {
      int n = 1000;
      double[] truth = new double[n];
      double[] predicted = new double[n];
      List<double[]> probabilities = new ArrayList<>();
      for (int k = 0; k < schema.probabilities().size(); k++) {
        probabilities.add(new double[n]);
      }
      for (int i = 0; i < n; i++) {
        double p = random.nextDouble();
        truth[i] = random.nextDouble() < p ? 1 : 0;
        predicted[i] = p >= 0.5 ? 1 : 0;
        probabilities.get(0)[i] = 1 - p;
        probabilities.get(1)[i] = p;
      }
      List<Column> cols = new ArrayList<>();
      cols.add(new NumericColumn(schema.prediction(), predicted));
      for (int k = 0; k < probabilities.size(); k++) {
        cols.add(new NumericColumn(schema.probabilities().get(k), probabilities.get(k)));
      }
      ev.add(new NumericColumn("y", truth), new Batch(b, b * n, n, cols));
    }
    JsonObject one = ev.report(1);
    JsonObject four = ev.report(4);
    assertEquals(one, four);
    assertEquals(List.copyOf(one.fieldNames()), List.copyOf(four.fieldNames()));
    assertEquals(List.copyOf(one.getJsonObject("metrics").fieldNames()),
        List.copyOf(four.getJsonObject("metrics").fieldNames()));
    assertTrue(one.getJsonObject("metrics").containsKey("roc_auc"), one.encode());
  }

  @Test
  void aMetricThatCannotBeComputed_isANote_onSeveralThreadsToo() {
    OutputSchema schema = OutputSchema.classifier(List.of("a", "b"));
    Evaluation ev = new Evaluation(schema);
    int n = 10;
    String[] truth = new String[n];
    String[] predicted = new String[n];
    java.util.Arrays.fill(truth, "a");
    java.util.Arrays.fill(predicted, "a");
    List<Column> cols = new ArrayList<>();
    cols.add(new StringColumn(schema.prediction(), predicted));
    for (String name : schema.probabilities()) {
      double[] p = new double[n];
      java.util.Arrays.fill(p, 0.5);
      cols.add(new NumericColumn(name, p));
    }
    ev.add(new StringColumn("y", truth), new Batch(0, 0, n, cols));
    JsonObject one = ev.report(1);
    assertEquals(one, ev.report(3));
    assertTrue(one.containsKey("notes"), "one class in the labels: no ROC; " + one.encode());
  }
}
