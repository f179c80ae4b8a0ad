package io.busflow.data.transform;

import java.util.List;
import java.util.function.Predicate;

/** A step that needs no fitting: the same transformer whatever the data. */
record FixedStep(List<String> reads, Predicate<String> touched, Transformer fixed) implements Step {

  @Override
  public boolean touches(String column) {
    return touched.test(column);
  }

  @Override
  public boolean fits() {
    return false;
  }

  @Override
  public Fitter<? extends Transformer> fitter() {
    throw new IllegalStateException("a fixed step has no fitter");
  }
}
