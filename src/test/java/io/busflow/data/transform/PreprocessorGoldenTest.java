package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.data.Batch;
import io.busflow.data.fixtures.Fixtures;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Preprocessing against scikit-learn's output on golden/mixed.csv (see golden/make_golden.py). */
class PreprocessorGoldenTest {

  static final Map<String, Object> SPEC = Map.of("steps", List.of(
      Map.of("impute", Map.of("strategy", "median", "columns", List.of("num_a", "num_b", "const"))),
      Map.of("impute", Map.of("strategy", "mean", "columns", List.of("num_c"))),
      Map.of("impute", Map.of("strategy", "most_frequent", "columns", List.of("cat_a", "cat_b"))),
      Map.of("scale", Map.of("method", "standard", "columns", List.of("num_a", "num_b", "const"))),
      Map.of("scale", Map.of("method", "minmax", "columns", List.of("num_c"))),
      Map.of("onehot", Map.of("columns", List.of("cat_a", "cat_b"))),
      Map.of("drop", List.of("split"))),
      "features", List.of("num_a", "num_b", "const", "num_c", "cat_a=amber", "cat_a=blue", "cat_a=cyan",
          "cat_b=x", "cat_b=y"));

  @Test
  void mixedData_fittedInOnePassOverSmallBatches_transformsLikeScikitLearnWithin1e9() {
    Batch all = Fixtures.csv(Fixtures.golden("mixed.csv"));
    Batch train = all.slice(0, 60);
    Fitter<Preprocessor> fitter = Preprocessor.fitter(SPEC);
    Supplier<Iterator<Batch>> source = Fixtures.batches(train, 7);
    source.get().forEachRemaining(fitter::accept);
    Preprocessor pre = fitter.finish();

    Map<String, Object> expected = Fixtures.jsonFile(Fixtures.golden("mixed_expected.json"));
    assertEquals(expected.get("features"), pre.featureNames());
    Batch out = pre.transform(all);
    assertMatrixEquals(Fixtures.csv(Fixtures.golden("mixed_transformed.csv")), out, 1e-9);
    assertEquals(((Number) expected.get("unknown_in_all_rows")).longValue(), pre.unknownLevelCount());

    SimpleImputer median = (SimpleImputer) pre.steps().get(0);
    assertEquals(List.of(49.906, 2.0, 5.0), List.copyOf(median.fill().values()));
    SimpleImputer mostFrequent = (SimpleImputer) pre.steps().get(2);
    assertEquals(expected.get("most_frequent"), List.copyOf(mostFrequent.fill().values()),
        "ties between 'amber' and 'blue' go to the smaller, as scikit-learn");
  }

  @Test
  void mixedData_stateThroughJson_transformsIdentically() {
    Batch all = Fixtures.csv(Fixtures.golden("mixed.csv"));
    Preprocessor pre = Preprocessor.fit(SPEC, Fixtures.batches(all.slice(0, 60), 11));
    Preprocessor back = Preprocessor.fromState(Fixtures.roundTrip(pre.toState()));
    assertEquals(pre.toState(), back.toState());
    assertEquals(pre.transform(all), back.transform(all));
  }

  static void assertMatrixEquals(Batch expected, Batch actual, double tol) {
    assertEquals(expected.columnNames(), actual.columnNames());
    assertEquals(expected.rowCount(), actual.rowCount());
    for (String c : expected.columnNames()) {
      double[] e = expected.numeric(c).values();
      double[] a = actual.numeric(c).values();
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], tol, "column " + c + " row " + i);
      }
    }
  }
}
