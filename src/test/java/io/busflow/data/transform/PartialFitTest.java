package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fitting consecutive parts of a stream apart and merging them in order ({@link Fitter#merge}) gives the
 * preprocessor that one fitter fed every row gives: levels, medians and most-frequent values identical,
 * means and scales to 1e-9 relative (the bound the issue sets for coefficients). Random data, random batch sizes and random part boundaries.
 */
class PartialFitTest {

  static final Map<String, Object> SPEC = Map.of("steps", List.of(
      Map.of("impute", Map.of("strategy", "median", "columns", List.of("a"))),
      Map.of("impute", Map.of("strategy", "mean", "columns", List.of("b"))),
      Map.of("impute", Map.of("strategy", "most_frequent", "columns", List.of("c", "d"))),
      Map.of("scale", Map.of("method", "standard", "columns", List.of("a", "b"))),
      Map.of("scale", Map.of("method", "minmax", "columns", List.of("d"))),
      Map.of("onehot", Map.of("columns", List.of("c")))));

  @Test
  void mergedParts_fitWhatOnePassFits() {
    Random random = new Random(42);
    for (int trial = 0; trial < 40; trial++) {
      List<Batch> batches = batches(random, 1 + random.nextInt(3000));
      Preprocessor whole = fit(batches, List.of(batches.size()));
      List<Integer> cuts = cuts(random, batches.size());
      Preprocessor merged = fit(batches, cuts);
      assertSame(whole.toState(), merged.toState(), "trial " + trial + ", parts ending at " + cuts);
      for (int step : new int[] {0, 2, 5}) {
        assertEquals(step(whole, step), step(merged, step), "median, most frequent and levels are exact");
      }
    }
  }

  @Test
  void merge_isAssociative() {
    Random random = new Random(7);
    List<Batch> batches = batches(random, 2000);
    int third = batches.size() / 3;
    Preprocessor.Spec spec = Preprocessor.Spec.parse(SPEC);
    List<Fitter<Preprocessor>> parts = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      Fitter<Preprocessor> f = spec.fitter();
      batches.subList(p * third, p == 2 ? batches.size() : (p + 1) * third).forEach(f::accept);
      parts.add(f);
    }
    parts.get(1).merge(parts.get(2));
    parts.get(0).merge(parts.get(1));
    assertSame(fit(batches, List.of(batches.size())).toState(), parts.get(0).finish().toState(), "(a(bc))");
  }

  @Test
  void levelLimit_isCheckedOnTheUnion() {
    Map<String, Object> spec = Map.of("steps", List.of(
        Map.of("onehot", Map.of("columns", List.of("c"), "maxLevels", 3))));
    Fitter<Preprocessor> first = Preprocessor.Spec.parse(spec).fitter();
    Fitter<Preprocessor> second = Preprocessor.Spec.parse(spec).fitter();
    first.accept(Batch.of(new StringColumn("c", new String[] {"x", "y"})));
    second.accept(Batch.of(new StringColumn("c", new String[] {"z", "w"})));
    assertTrue(first.mergeable());
    var e = assertThrows(IllegalArgumentException.class, () -> first.merge(second));
    assertTrue(e.getMessage().contains("more than 3 distinct values"), e.getMessage());
  }

  @Test
  void pluginFitter_isNotMergeableByDefault() {
    Fitter<String> f = new Fitter<>() {
      @Override
      public void accept(Batch batch) {}

      @Override
      public String finish() {
        return "";
      }
    };
    assertFalse(f.mergeable());
    assertThrows(UnsupportedOperationException.class, () -> f.merge(f));
  }

  private static Object step(Preprocessor p, int i) {
    return ((List<?>) p.toState().get("steps")).get(i);
  }

  /** Fits {@code batches} in parts ending (exclusive) at {@code cuts}, merged in order. */
  private static Preprocessor fit(List<Batch> batches, List<Integer> cuts) {
    Preprocessor.Spec spec = Preprocessor.Spec.parse(SPEC);
    Fitter<Preprocessor> first = null;
    int from = 0;
    for (int end : cuts) {
      Fitter<Preprocessor> f = spec.fitter();
      batches.subList(from, end).forEach(f::accept);
      if (first == null) {
        first = f;
      } else {
        first.merge(f);
      }
      from = end;
    }
    return first.finish();
  }

  private static List<Integer> cuts(Random random, int n) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      if (random.nextInt(4) == 0) {
        cuts.add(i);
      }
    }
    cuts.add(n);
    return cuts;
  }

  private static List<Batch> batches(Random random, int rows) {
    List<Batch> out = new ArrayList<>();
    int from = 0;
    while (from < rows) {
      int n = Math.min(rows - from, 1 + random.nextInt(200));
      out.add(batch(random, from, n));
      from += n;
    }
    return out;
  }

  private static Batch batch(Random random, long firstRow, int n) {
    double[] a = new double[n];
    double[] b = new double[n];
    double[] d = new double[n];
    String[] c = new String[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextInt(10) == 0 ? Double.NaN : Math.round(random.nextGaussian() * 100) / 4.0;
      b[i] = random.nextInt(10) == 0 ? Double.NaN : 1e6 + random.nextGaussian();
      d[i] = random.nextInt(5) == 0 ? Double.NaN : random.nextInt(7);
      c[i] = random.nextInt(8) == 0 ? null : "level" + random.nextInt(12);
    }
    List<Column> cols = List.of(new NumericColumn("a", a), new NumericColumn("b", b), new StringColumn("c", c),
        new NumericColumn("d", d));
    return new Batch(firstRow, firstRow, n, cols);
  }

  /**
   * States equal, numbers within 1e-9 relative: means and variances merge by Chan's formula, in another order
   * than batch by batch (on values near 1e6 with unit variance they differ from one pass near 1e-12).
   */
  private static void assertSame(Object want, Object got, String where) {
    if (want instanceof Double w && got instanceof Double g) {
      assertEquals(w, g, 1e-9 * Math.max(1, Math.abs(w)), where);
    } else if (want instanceof Map<?, ?> w && got instanceof Map<?, ?> g) {
      assertEquals(w.keySet(), g.keySet(), where);
      w.forEach((k, v) -> assertSame(v, g.get(k), where + "." + k));
    } else if (want instanceof List<?> w && got instanceof List<?> g) {
      assertEquals(w.size(), g.size(), where);
      for (int i = 0; i < w.size(); i++) {
        assertSame(w.get(i), g.get(i), where + "[" + i + "]");
      }
    } else {
      assertEquals(want, got, where);
    }
  }
}
