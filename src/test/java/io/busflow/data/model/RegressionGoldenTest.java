package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.data.Batch;
import io.busflow.data.fixtures.Fixtures;
import io.busflow.data.metrics.RegressionMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OLS and ridge against scikit-learn's LinearRegression and Ridge(alpha=1) on load_diabetes. */
class RegressionGoldenTest {

  @ParameterizedTest
  @CsvSource({"ols, 0.0", "ridge, 1.0"})
  @SuppressWarnings("unchecked")
  void diabetes_agreesWithScikitLearn(String key, double alpha) {
    Map<String, Object> expected = (Map<String, Object>) Fixtures.jsonFile(
        Fixtures.golden("diabetes_expected.json")).get(key);
    Batch data = Fixtures.csv(Fixtures.golden("diabetes.csv"));
    Batch train = Fixtures.split(data, "train");
    Batch test = Fixtures.split(data, "test");
    Set<String> notFeatures = Set.of("target");

    LinearRegression model = LinearRegression.fit(train.drop(notFeatures), train.column("target"), alpha);
    Batch pred = model.predict(test.drop(notFeatures)).batch();
    RegressionMetrics m = RegressionMetrics.evaluate(test.column("target"), pred.column("prediction"));

    assertEquals(((Number) expected.get("r2")).doubleValue(), m.r2(), 0.005, "R² within 0.005");
    assertEquals(((Number) expected.get("r2")).doubleValue(), m.r2(), 1e-9, "R² equal in fact");
    double[] sklearn = Fixtures.csv(Fixtures.golden("diabetes_test_pred.csv")).numeric(key).values();
    for (int i = 0; i < sklearn.length; i++) {
      assertEquals(sklearn[i], pred.numeric("prediction").get(i), 1e-8, "test row " + i);
    }
    List<Number> coef = (List<Number>) expected.get("coef");
    for (int j = 0; j < coef.size(); j++) {
      assertEquals(coef.get(j).doubleValue(), model.coef()[j], 1e-6, "coef " + j);
    }
  }
}
