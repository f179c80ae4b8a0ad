package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.fixtures.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

  private static Batch features() {
    return Batch.of(new NumericColumn("a", new double[] {0, 1, 2, 3, 4, 5}),
        new NumericColumn("b", new double[] {1, 0, 1, 0, 1, 1}));
  }

  private static final StringColumn LABELS = new StringColumn("y", new String[] {"no", "no", "yes", "no", "yes", "yes"});

  @Test
  void fit_oneClassOnly_failsSayingSo() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(
        features(), new NumericColumn("y", new double[] {1, 1, 1, 1, 1, 1}), LogisticRegression.Options.defaults()));
    assertEquals("training labels hold one class only ('1'); a classifier needs at least two", ex.getMessage());
  }

  @Test
  void predict_featureNamesDiffer_listsMissingAndUnexpected() {
    LogisticRegression m = LogisticRegression.fit(features(), LABELS, LogisticRegression.Options.defaults());
    Batch wrong = Batch.of(new NumericColumn("a", new double[1]), new NumericColumn("c", new double[1]));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> m.predict(wrong));
    assertTrue(ex.getMessage().contains("missing: [b], unexpected: [c]"), ex.getMessage());
  }

  @Test
  void predict_missingFeatureValue_failsNamingRowAndFeature() {
    LogisticRegression m = LogisticRegression.fit(features(), LABELS, LogisticRegression.Options.defaults());
    Batch holes = new Batch(2, 100, 2, List.of(new NumericColumn("a", new double[] {1, 2}),
        new NumericColumn("b", new double[] {0, Double.NaN})));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> m.predict(holes));
    assertTrue(ex.getMessage().contains("row 101") && ex.getMessage().contains("'b'"), ex.getMessage());
  }

  @Test
  void predict_textClasses_giveTextPredictionsProbabilitiesAndVersion() {
    LogisticRegression m = LogisticRegression.fit(features(), LABELS, LogisticRegression.Options.defaults());
    Batch in = features().withColumns(List.of(new StringColumn("id", new String[] {"r0", "r1", "r2", "r3", "r4", "r5"})));
    Predictions p = m.predict(in, "id");
    assertEquals(List.of("id", "prediction", "p_no", "p_yes"), p.batch().columnNames());
    assertEquals(m.version(), p.modelVersion());
    assertTrue(m.version().matches("logistic-[0-9a-f]{16}"), m.version());
    for (int i = 0; i < 6; i++) {
      double yes = p.batch().numeric("p_yes").get(i);
      assertEquals(1.0, yes + p.batch().numeric("p_no").get(i), 1e-15);
      assertEquals(yes >= 0.5 ? "yes" : "no", p.batch().strings("prediction").get(i));
    }
    assertTrue(m.fitInfo().converged());
  }

  @Test
  void stateThroughJson_givesTheSameModelVersionAndPredictions() {
    LogisticRegression bin = LogisticRegression.fit(features(), LABELS, LogisticRegression.Options.defaults());
    LogisticRegression multi = LogisticRegression.fit(features(),
        new NumericColumn("y", new double[] {0, 2, 1, 0, 2, 1}), LogisticRegression.Options.defaults());
    LinearRegression lin = LinearRegression.fit(features(), new NumericColumn("t", new double[] {1, 2, 2, 4, 5, 7}), 0.5);
    for (Model m : List.of(bin, multi, lin)) {
      Model back = io.busflow.stage.ModelTypes.fromState(Fixtures.roundTrip(m.toState()));
      assertEquals(m.toState(), back.toState());
      assertEquals(m.version(), back.version());
      assertEquals(m.predict(features()), back.predict(features()));
    }
    assertNotEquals(bin.version(), multi.version());
    assertEquals(List.of(0.0, 1.0, 2.0), multi.classes());
  }

  @Test
  void multinomial_interceptsSumToZero_andIterationLimitIsReported() {
    LogisticRegression multi = LogisticRegression.fit(features(),
        new NumericColumn("y", new double[] {0, 2, 1, 0, 2, 1}), new LogisticRegression.Options(1.0, 1e-12, 1, 0.5));
    double sum = 0;
    for (double b : multi.intercept()) {
      sum += b;
    }
    assertEquals(0, sum, 1e-12);
    assertFalse(multi.fitInfo().converged());
    assertEquals(1, multi.fitInfo().nIter());
  }

  @Test
  void badState_failsNamingTheKey() {
    Map<String, Object> state = LogisticRegression.fit(features(), LABELS, LogisticRegression.Options.defaults())
        .toState();
    state.put("coef", List.of(1.0, "x"));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> io.busflow.stage.ModelTypes.fromState(state));
    assertTrue(ex.getMessage().contains("'coef[1]'"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> io.busflow.stage.ModelTypes.fromState(Map.of("type", "forest")));
    assertTrue(ex.getMessage().contains("'forest'"), ex.getMessage());
  }
}
