package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.fixtures.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformersTest {

  private static final double NaN = Double.NaN;

  private static <T> T fit(Fitter<T> f, Batch... batches) {
    for (Batch b : batches) {
      f.accept(b);
    }
    return f.finish();
  }

  private static Batch nums(double... v) {
    return Batch.of(new NumericColumn("x", v));
  }

  @Test
  void imputer_meanMedianConstant_overSeveralBatches() {
    Batch a = nums(1, NaN, 3);
    Batch b = nums(NaN, 10);
    assertEquals(14.0 / 3, (Double) fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEAN, List.of("x"), null), a, b)
        .fill().get("x"), 1e-15, "batch means merged by Chan's formula: within rounding of one sum");
    assertEquals(3.0, fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEDIAN, List.of("x"), null), a, b)
        .fill().get("x"));
    assertEquals(2.0, fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEDIAN, List.of("x"), null), nums(1, 3, NaN))
        .fill().get("x"), "even count: mean of the middle two, as numpy");
    SimpleImputer c = fit(SimpleImputer.fitter(SimpleImputer.Strategy.CONSTANT, List.of("x"), null), a);
    assertArrayEquals(new double[] {1, 0, 3}, c.transform(a).numeric("x").values());
  }

  @Test
  void imputer_mostFrequent_tiesGoToTheSmallestValue() {
    Batch s = Batch.of(new StringColumn("s", new String[] {"b", "a", null, "b", "a", "c"}));
    SimpleImputer i = fit(SimpleImputer.fitter(SimpleImputer.Strategy.MOST_FREQUENT, List.of("s"), null), s);
    assertEquals("a", i.fill().get("s"));
    assertEquals("a", i.transform(s).strings("s").get(2));
    SimpleImputer n = fit(SimpleImputer.fitter(SimpleImputer.Strategy.MOST_FREQUENT, List.of("x"), null),
        nums(5, 2, 5, 2, NaN));
    assertEquals(2.0, n.fill().get("x"));
  }

  @Test
  void imputer_untouchedColumnWithoutMissing_isNotCopied() {
    Batch a = nums(1, 2);
    SimpleImputer i = new SimpleImputer(SimpleImputer.Strategy.MEAN, Map.of("x", 0.0));
    assertSame(a.column("x"), i.transform(a).column("x"));
  }

  @Test
  void imputer_meanOfText_andAllMissing_failNamingColumnAndRemedy() {
    Batch s = Batch.of(new StringColumn("city", new String[] {"a", null}));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEAN, List.of("city"), null), s));
    assertTrue(ex.getMessage().contains("'city'") && ex.getMessage().contains("most_frequent"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class,
        () -> fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEAN, List.of("x"), null), nums(NaN, NaN)));
    assertTrue(ex.getMessage().contains("'x'") && ex.getMessage().contains("2 missing"), ex.getMessage());
  }

  @Test
  void standardScaler_populationStd_constantColumnScaledByOne() {
    Batch b = Batch.of(new NumericColumn("x", new double[] {1, 2, 3, 4}),
        new NumericColumn("k", new double[] {7, 7, 7, 7}));
    Scaler s = fit(Scaler.fitter(Scaler.Method.STANDARD, List.of("x", "k")), b.slice(0, 1), b.slice(1, 4));
    double std = Math.sqrt(1.25);
    assertArrayEquals(new double[] {-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std},
        s.transform(b).numeric("x").values(), 1e-15);
    assertArrayEquals(new double[] {0, 0, 0, 0}, s.transform(b).numeric("k").values());
    assertArrayEquals(new double[] {2.5, 7}, s.offsets());
    assertArrayEquals(new double[] {std, 1}, s.divisors(), 1e-15);
  }

  @Test
  void minMaxScaler_rangeZeroScaledByOne_missingStaysMissing() {
    Batch b = Batch.of(new NumericColumn("x", new double[] {2, NaN, 6}), new NumericColumn("k", new double[] {3, 3, 3}));
    Scaler s = fit(Scaler.fitter(Scaler.Method.MINMAX, List.of("x", "k")), b);
    Batch out = s.transform(b);
    assertArrayEquals(new double[] {0, NaN, 1}, out.numeric("x").values());
    assertArrayEquals(new double[] {0, 0, 0}, out.numeric("k").values());
  }

  @Test
  void oneHot_sortedLevels_unknownCountedAsZeros_missingZeros() {
    Batch train = Batch.of(new StringColumn("c", new String[] {"b", "a", "b"}), new NumericColumn("y", new double[3]));
    OneHotEncoder e = fit(OneHotEncoder.fitter(List.of("c"), Map.of()), train);
    assertEquals(List.of("a", "b"), e.levels().get("c"));
    Batch out = e.transform(Batch.of(new StringColumn("c", new String[] {"a", "zz", null, "b"})));
    assertEquals(List.of("c=a", "c=b"), out.columnNames());
    assertArrayEquals(new double[] {1, 0, 0, 0}, out.numeric("c=a").values());
    assertArrayEquals(new double[] {0, 0, 0, 1}, out.numeric("c=b").values());
    assertEquals(1, e.unknownCount());
    assertEquals(Map.of("c", 1L), e.unknownCounts());
  }

  @Test
  void oneHot_declaredLevels_keepTheirOrderAndReplaceTheColumnInPlace() {
    OneHotEncoder e = fit(OneHotEncoder.fitter(List.of("c"), Map.of("c", List.of("z", "a"))),
        Batch.of(new StringColumn("c", new String[] {"a"})));
    Batch out = e.transform(Batch.of(new NumericColumn("before", new double[1]),
        new StringColumn("c", new String[] {"a"}), new NumericColumn("after", new double[1])));
    assertEquals(List.of("before", "c=z", "c=a", "after"), out.columnNames());
  }

  @Test
  void labelEncoder_sortsClassesNumericallyOrAsText() {
    LabelEncoder n = LabelEncoder.fit(new NumericColumn("y", new double[] {10, 2, 10}));
    assertEquals(List.of(2.0, 10.0), n.classes());
    assertArrayEquals(new int[] {1, 0, 1}, n.encode(new NumericColumn("y", new double[] {10, 2, 10})));
    LabelEncoder t = LabelEncoder.fit(new StringColumn("y", new String[] {"b", "B", "a"}));
    assertEquals(List.of("B", "a", "b"), t.classes());
    LabelEncoder b = LabelEncoder.fit(new BooleanColumn("y", new byte[] {1, 0}));
    assertEquals(List.of(0.0, 1.0), b.classes());
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> t.encode(new StringColumn("y", new String[] {"a", "q"})));
    assertTrue(ex.getMessage().contains("row 1") && ex.getMessage().contains("'q'"), ex.getMessage());
    assertEquals(t.classes(), LabelEncoder.fromState(Fixtures.roundTrip(t.toState())).classes());
  }

  @Test
  void labelEncoder_encodesNumbersByValue_andNamesMissingAndUnknownRows() {
    LabelEncoder n = new LabelEncoder(List.of(7.5, -1.0, 0.0, 3.0));
    assertArrayEquals(new int[] {1, 0, 3, 2, 0}, n.encode(new NumericColumn("y", new double[] {-1, 7.5, 3, 0, 7.5})));
    assertArrayEquals(new int[] {2, 2}, n.encode(new BooleanColumn("y", new byte[] {0, 0})));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> n.encode(new NumericColumn("y", new double[] {3, 2})));
    assertTrue(unknown.getMessage().contains("row 1: value '2' is not a known class"), unknown.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> n.encode(new NumericColumn("y", new double[] {3, NaN})));
    assertTrue(missing.getMessage().contains("row 1: value 'null' is missing"), missing.getMessage());
  }

  @Test
  void states_surviveJsonExactly() {
    Batch b = nums(0.1, 0.7, 1e-300, NaN, 12345.678901234567);
    List<Transformer> ts = List.of(
        fit(SimpleImputer.fitter(SimpleImputer.Strategy.MEAN, List.of("x"), null), b),
        fit(Scaler.fitter(Scaler.Method.STANDARD, List.of("x")), b),
        fit(Scaler.fitter(Scaler.Method.MINMAX, List.of("x")), b),
        ColumnSelection.drop(List.of("y")));
    for (Transformer t : ts) {
      Map<String, Object> back = Fixtures.roundTrip(t.toState());
      assertEquals(t.toState(), back);
      Transformer again = Preprocessor.fromState(Map.of("type", "preprocessor", "steps", List.of(back),
          "features", List.of("x"))).steps().get(0);
      assertEquals(t.transform(b), again.transform(b));
    }
  }

  @Test
  void badState_failsNamingTheKey() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Scaler.fromState(
        Map.of("type", "scale", "method", "standard", "columns", Map.of("age", Map.of("mean", 1.0)))));
    assertTrue(ex.getMessage().contains("'age'") && ex.getMessage().contains("'std'"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> OneHotEncoder.fromState(
        Map.of("type", "onehot", "levels", Map.of("c", "FR"))));
    assertTrue(ex.getMessage().contains("'levels.c'") && ex.getMessage().contains("a list"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> SimpleImputer.fromState(Map.of("type", "impute")));
    assertTrue(ex.getMessage().contains("'strategy'"), ex.getMessage());
  }
}
