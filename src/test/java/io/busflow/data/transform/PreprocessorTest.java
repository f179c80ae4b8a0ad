package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.fixtures.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  private static final double NaN = Double.NaN;

  private static Batch data() {
    return Batch.of(new NumericColumn("id", new double[] {7, 8, 9, 10}),
        new NumericColumn("x", new double[] {1, NaN, 3, NaN}),
        new StringColumn("c", new String[] {"b", null, "a", "b"}),
        new NumericColumn("y", new double[] {0, 1, 0, 1}));
  }

  private static Map<String, Object> imputeScaleOnehot() {
    return Map.of("id_column", "id", "label_column", "y", "steps", List.of(
        Map.of("impute", Map.of("strategy", "mean", "columns", List.of("x"))),
        Map.of("impute", Map.of("strategy", "constant", "columns", List.of("c"), "fill_value", "zz")),
        Map.of("scale", Map.of("method", "standard", "columns", List.of("x"))),
        Map.of("onehot", Map.of("columns", List.of("c")))));
  }

  @Test
  void onehot_levelsOverTheirBounds_failNamingStepColumnAndLimit() {
    Batch b = Batch.of(new StringColumn("c", new String[] {"a", "b", "c", "x".repeat(30)}));
    Fitter<Preprocessor> tooLong = Preprocessor.fitter(Map.of("steps", List.of(
        Map.of("onehot", Map.of("columns", List.of("c"), "maxLevelChars", 20)))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tooLong.accept(b));
    assertTrue(e.getMessage().startsWith("steps[0] (onehot): column 'c' holds a value of 30 characters")
        && e.getMessage().contains("maxLevelChars"), e.getMessage());
    Fitter<Preprocessor> tooMany = Preprocessor.fitter(Map.of("steps", List.of(
        Map.of("impute", Map.of("strategy", "most_frequent", "columns", List.of("c"), "maxLevels", 3)))));
    e = assertThrows(IllegalArgumentException.class, () -> tooMany.accept(b));
    assertTrue(e.getMessage().startsWith("steps[0] (impute): column 'c' has more than 3 distinct values")
        && e.getMessage().contains("maxLevels"), e.getMessage());
    Fitter<Preprocessor> fine = Preprocessor.fitter(Map.of("steps", List.of(
        Map.of("onehot", Map.of("columns", List.of("c"), "maxLevels", 4, "maxLevelChars", 30)))));
    fine.accept(b);
    assertEquals(4, ((OneHotEncoder) fine.finish().steps().get(0)).levels().get("c").size());
  }

  @Test
  void imputeThenScale_inOnePass_scalesTheImputedColumnAsTwoPassesWould() {
    Fitter<Preprocessor> f = Preprocessor.fitter(imputeScaleOnehot());
    Fixtures.batches(data(), 1).get().forEachRemaining(f::accept);
    Preprocessor p = f.finish();
    assertEquals(1, Preprocessor.passes(imputeScaleOnehot()));
    assertEquals(2, Preprocessor.passes(Map.of("steps", List.of(Map.of("scale", Map.of("columns", List.of("x"))),
        Map.of("impute", Map.of("columns", List.of("x")))))));
    Scaler one = (Scaler) p.steps().get(2);
    // x after imputing its mean 2: [1, 2, 3, 2] -> mean 2, population std sqrt(0.5)
    assertArrayEquals(new double[] {2}, one.offsets(), 1e-15);
    assertArrayEquals(new double[] {Math.sqrt(0.5)}, one.divisors(), 1e-15);
    assertEquals(List.of("x", "c=a", "c=b", "c=zz"), p.featureNames(), "a missing level imputed before one-hot");
  }

  @Test
  void transform_carriesTheIdColumnFirstUntouched_andNeedsNoLabel() {
    Preprocessor p = Preprocessor.fit(imputeScaleOnehot(), Fixtures.batches(data(), 2));
    Batch scoring = data().drop(java.util.Set.of("y")).withPosition(3, 300);
    Batch out = p.transform(scoring);
    assertEquals(List.of("id", "x", "c=a", "c=b", "c=zz"), out.columnNames());
    assertSame(scoring.column("id"), out.column("id"));
    assertEquals(3, out.index());
    assertEquals(300, out.firstRow());
    assertArrayEquals(new double[] {0, 1, 0, 0}, out.numeric("c=zz").values());
  }

  @Test
  void spec_thatNeedsTwoPasses_isRefusedByTheOnePassFitterNamingTheStep() {
    Map<String, Object> spec = Map.of("steps", List.of(
        Map.of("onehot", Map.of("columns", List.of("c"))),
        Map.of("scale", Map.of("method", "minmax", "columns", List.of("c=a")))));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Preprocessor.fitter(spec));
    assertTrue(ex.getMessage().contains("steps[1] (scale)") && ex.getMessage().contains("'c=a'")
        && ex.getMessage().contains("Preprocessor.fit(spec, source)"), ex.getMessage());
    Preprocessor p = Preprocessor.fit(Map.of("steps", List.of(
        Map.of("impute", Map.of("strategy", "most_frequent", "columns", List.of("c"))),
        Map.of("onehot", Map.of("columns", List.of("c"))),
        Map.of("scale", Map.of("method", "minmax", "columns", List.of("c=a"))),
        Map.of("select", List.of("c=a", "c=b")))), Fixtures.batches(data(), 3));
    assertArrayEquals(new double[] {0, 0, 1, 0}, p.transform(data()).numeric("c=a").values());
  }

  @Test
  void textLeftAtTheEnd_unknownStep_andUnknownKey_failWithRemedy() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> Preprocessor.fit(Map.of("label_column", "y"), Fixtures.batches(data(), 4)));
    assertTrue(ex.getMessage().contains("'c'") && ex.getMessage().contains("one-hot encode it"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class,
        () -> Preprocessor.fitter(Map.of("steps", List.of(Map.of("normalize", List.of())))));
    assertTrue(ex.getMessage().contains("steps[0]") && ex.getMessage().contains("'normalize'"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> Preprocessor.fitter(Map.of("setps", List.of())));
    assertTrue(ex.getMessage().contains("'setps'"), ex.getMessage());
  }

  @Test
  void transform_missingInputColumn_failsNamingIt() {
    Preprocessor p = Preprocessor.fit(imputeScaleOnehot(), Fixtures.batches(data(), 4));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> p.transform(data().drop(java.util.Set.of("x"))));
    assertTrue(ex.getMessage().contains("'x'"), ex.getMessage());
  }
}
