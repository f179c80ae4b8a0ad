package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.fixtures.Fixtures;
import io.busflow.data.transform.Preprocessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code class_weight='balanced'} against scikit-learn's {@code LogisticRegression(class_weight='balanced')}
 * after the same imputation and scaling (golden/make_report_golden.py): binary (breast_cancer, 212/357
 * rows) and multinomial (wine).
 */
class ClassWeightGoldenTest {

  @ParameterizedTest
  @CsvSource({"breast_cancer, mean", "wine, median"})
  void balancedClassWeights_giveScikitLearnsCoefficients(String name, String imputer) {
    @SuppressWarnings("unchecked")
    Map<String, Object> want = (Map<String, Object>) ((Map<String, Object>) Fixtures.jsonFile(
        Fixtures.golden("report_expected.json")).get("balanced")).get(name);
    @SuppressWarnings("unchecked")
    List<String> features = (List<String>) Fixtures.jsonFile(Fixtures.golden(name + "_expected.json")).get("features");
    Batch train = Fixtures.split(Fixtures.csv(Fixtures.golden(name + ".csv")), "train");
    Preprocessor pre = Preprocessor.fit(ClassifierGoldenTest.spec(features, imputer), Fixtures.batches(train, 50));
    LogisticRegression model = LogisticRegression.fit(pre.transform(train), train.column("target"),
        new LogisticRegression.Options(1.0, 1e-10, 200, 0.5, true));

    assertTrue(model.fitInfo().converged(), "Newton converged: " + model.fitInfo());
    @SuppressWarnings("unchecked")
    List<List<Number>> coef = (List<List<Number>>) want.get("coef");
    @SuppressWarnings("unchecked")
    List<Number> intercept = (List<Number>) want.get("intercept");
    double[][] ours = model.coef();
    for (int k = 0; k < coef.size(); k++) {
      for (int j = 0; j < coef.get(k).size(); j++) {
        assertEquals(coef.get(k).get(j).doubleValue(), ours[k][j], 1e-3, "coef[" + k + "][" + j + "]");
      }
      assertEquals(intercept.get(k).doubleValue(), model.intercept()[k], 1e-3, "intercept[" + k + "]");
    }
  }
}
