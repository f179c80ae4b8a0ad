package io.busflow.stage.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
import io.busflow.stage.ModelTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX models built by {@code make_onnx.py} (scikit-learn trains, onnx.helper builds the graph) give
 * scikit-learn's own predictions: the same class on every test row, probabilities and regression values
 * within 1e-5. Covers LinearClassifier + ZipMap, TreeEnsembleClassifier, an MLP fed one input per column,
 * TreeEnsembleRegressor, and a linear regression fed double inputs and, in float, with fixed batches of 1 and
 * of 4 rows (the diabetes test rows, 133, are then 34 runs, the last padded), on four datasets.
 */
class OnnxGoldenTest {

  static final double TOL = 1e-5;

  @ParameterizedTest
  @ValueSource(strings = {"iris_linear", "breast_cancer_gb", "wine_mlp", "diabetes_tree", "diabetes_linear_double",
      "diabetes_linear_b1", "diabetes_linear_b4"})
  void onnxModel_predictsAsScikitLearn(String name) {
    OnnxFixtures.Case c = OnnxFixtures.get(name);
    Model model = ModelTypes.load(c.artifact());
    Batch rows = c.rows();
    Batch expected = c.expected();
    Predictions p = model.predict(rows.drop(java.util.Set.of("target")), "id");
    assertEquals(expected.rowCount(), p.batch().rowCount());
    assertEquals(expected.columnNames(), p.batch().columnNames(), "columns of " + name);
    for (Column e : expected.columns()) {
      if (e instanceof NumericColumn en) {
        NumericColumn got = p.batch().numeric(e.name());
        for (int i = 0; i < en.size(); i++) {
          double tol = e.name().equals(Predictions.PREDICTION) && model.output().classifier() ? 0 : TOL;
          assertEquals(en.get(i), got.get(i), tol, name + " row " + i + " column " + e.name());
        }
      }
    }
    assertTrue(model.version().startsWith("onnx-"), model.version());
  }

  /** Fed as doubles, not through float: the linear model agrees with scikit-learn to 1e-12 (float inputs: ~1e-7). */
  @org.junit.jupiter.api.Test
  void doubleInputs_areFedAsDoubles() {
    OnnxFixtures.Case c = OnnxFixtures.get("diabetes_linear_double");
    Predictions p = ModelTypes.load(c.artifact()).predict(c.rows().drop(java.util.Set.of("target")), "id");
    NumericColumn want = c.expected().numeric(Predictions.PREDICTION);
    NumericColumn got = p.batch().numeric(Predictions.PREDICTION);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), 1e-12 * Math.abs(want.get(i)), "row " + i);
    }
  }
}
