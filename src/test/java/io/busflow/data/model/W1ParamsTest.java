package io.busflow.data.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.fixtures.Fixtures;
import io.busflow.data.transform.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * W1's given parameters (w1/ made by shared/workloads/gen_churn.py 200) against the README's arithmetic
 * done here by a plain loop over the CSV text.
 */
class W1ParamsTest {

  private static final Path DIR = Path.of("src/test/resources/w1");

  @Test
  void load_scoresEveryRowExactlyAsThePlainLoop() throws IOException {
    Map<String, Object> params = Fixtures.jsonFile(DIR.resolve("churn-params.json"));
    W1Params w1 = W1Params.load(params);
    Batch raw = Fixtures.csv(DIR.resolve("churn-200.csv"));
    Batch out = w1.model().predict(w1.preprocessor().transform(raw), "customer_id").batch();

    List<String> lines = Files.readAllLines(DIR.resolve("churn-200.csv"));
    for (int r = 1; r < lines.size(); r++) {
      double[] expected = plainLoop(lines.get(0).split(","), lines.get(r).split(",", -1), params);
      assertEquals(expected[0], out.numeric("customer_id").get(r - 1));
      assertEquals(expected[1], out.numeric("p_1").get(r - 1), "probability of row " + r + ", bit for bit");
      assertEquals(expected[2], out.numeric("prediction").get(r - 1), "prediction of row " + r);
    }
    assertEquals(List.of("customer_id", "prediction", "p_0", "p_1"), out.columnNames());
    assertEquals(params.get("features"), w1.preprocessor().featureNames());
  }

  @SuppressWarnings("unchecked")
  private static double[] plainLoop(String[] header, String[] f, Map<String, Object> params) {
    Map<String, String> row = new LinkedHashMap<>();
    for (int c = 0; c < header.length; c++) {
      row.put(header[c], f[c]);
    }
    Map<String, Object> model = (Map<String, Object>) params.get("model");
    List<Number> coef = (List<Number>) model.get("coef");
    List<String> features = (List<String>) params.get("features");
    Map<String, Map<String, Number>> numeric = (Map<String, Map<String, Number>>) params.get("numeric");
    double z = ((Number) model.get("intercept")).doubleValue();
    for (int i = 0; i < features.size(); i++) {
      String name = features.get(i);
      double x;
      if (name.contains("=")) {
        String[] cl = name.split("=");
        x = cl[1].equals(row.get(cl[0])) ? 1.0 : 0.0;
      } else {
        Map<String, Number> p = numeric.get(name);
        double v = row.get(name).isEmpty() ? p.get("impute").doubleValue() : Double.parseDouble(row.get(name));
        x = (v - p.get("mean").doubleValue()) / p.get("std").doubleValue();
      }
      z += coef.get(i).doubleValue() * x;
    }
    double p = 1 / (1 + Math.exp(-z));
    double threshold = ((Number) model.get("threshold")).doubleValue();
    return new double[] {Double.parseDouble(row.get("customer_id")), p, p >= threshold ? 1 : 0};
  }

  @Test
  void load_stateSurvivesJsonExactly() {
    W1Params w1 = W1Params.load(Fixtures.jsonFile(DIR.resolve("churn-params.json")));
    Preprocessor pre = Preprocessor.fromState(Fixtures.roundTrip(w1.preprocessor().toState()));
    Model model = io.busflow.stage.ModelTypes.fromState(Fixtures.roundTrip(w1.model().toState()));
    assertEquals(w1.preprocessor().toState(), pre.toState());
    assertEquals(w1.model().toState(), model.toState());
    assertEquals(w1.model().version(), model.version());
  }

  @Test
  @SuppressWarnings("unchecked")
  void load_badParams_failNamingTheKey() {
    Map<String, Object> params = Fixtures.jsonFile(DIR.resolve("churn-params.json"));
    ((Map<String, Object>) params.get("model")).put("coef", List.of(1.0));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> W1Params.load(params));
    assertTrue(ex.getMessage().contains("model.coef"), ex.getMessage());

    Map<String, Object> noStd = Fixtures.jsonFile(DIR.resolve("churn-params.json"));
    ((Map<String, Object>) ((Map<String, Object>) noStd.get("numeric")).get("age")).remove("std");
    ex = assertThrows(IllegalArgumentException.class, () -> W1Params.load(noStd));
    assertTrue(ex.getMessage().contains("numeric.age") && ex.getMessage().contains("'std'"), ex.getMessage());
  }
}
