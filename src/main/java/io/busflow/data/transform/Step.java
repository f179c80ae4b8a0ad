package io.busflow.data.transform;

import java.util.List;

/**
 * One preprocessing step as its {@link StepType} parsed it from a spec: what it reads, which columns it
 * changes, and how it becomes a fitted {@link Transformer}. Immutable; {@link #fitter()} makes a new fitter
 * per call.
 *
 * <p>A {@link Preprocessor} fits its steps in as few passes over the data as it can: a step that needs
 * fitting is fitted in the same pass as the steps before it unless it reads a column one of them
 * {@link #touches touches}, in which case it starts another pass over the data as transformed by every step
 * before it. So {@link #touches} must be true for every column the step changes, removes or makes.
 */
public interface Step {

  /** The input columns the step reads, in the order of its spec. */
  List<String> reads();

  /** Whether the step changes the values of, removes, or makes a column of this name. */
  boolean touches(String column);

  /** Whether the step learns from data ({@link #fitter()}); false for a step that is the same whatever the data. */
  default boolean fits() {
    return true;
  }

  /**
   * A new single-use fitter (when {@link #fits()}): it is given every batch of the pass, as transformed by
   * the steps fitted in earlier passes, then finished once; it should fail naming the column and the remedy
   * when the data cannot fit it.
   */
  Fitter<? extends Transformer> fitter();

  /** The transformer of a step that does not {@link #fits() fit}. */
  default Transformer fixed() {
    throw new IllegalStateException(getClass().getName() + " fits from data; it has no fixed transformer");
  }
}
