package io.busflow.data.transform;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A built-in step fitted from per-column statistics ({@link StatsFitter}). Such a step may share a pass with
 * imputers before it that fill the columns it reads: their fill values are applied to its statistics at the
 * end ({@link StatsFitter#finish(java.util.Map)}).
 *
 * @param fillsOnly whether the step only fills missing values (an imputer)
 */
record StatsStep(List<String> reads, Predicate<String> touched, boolean fillsOnly,
    Supplier<StatsFitter<? extends Transformer>> make) implements Step {

  @Override
  public boolean touches(String column) {
    return touched.test(column);
  }

  @Override
  public StatsFitter<? extends Transformer> fitter() {
    return make.get();
  }

  /** How fitting errors name the step at {@code at}: {@code steps[0].impute} → {@code steps[0] (impute)}. */
  static String place(String at) {
    int dot = at.lastIndexOf('.');
    return dot < 0 ? at : at.substring(0, dot) + " (" + at.substring(dot + 1) + ")";
  }
}
