package io.busflow.stage;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import io.busflow.data.model.Model;
import java.util.Map;

/** A parsed, validated model spec: what {@link ModelType#parse} makes, and what fits a model. */
public interface Estimator {

  /** The {@link ModelType#name()} of the type that parsed it. */
  String type();

  /** The parameters with their defaults filled in, JSON-shaped; {@link ModelType#parse} accepts them back. */
  Map<String, Object> params();

  /** Whether the models it fits predict classes (false for regressions and for types it cannot fit). */
  default boolean classifier() {
    return false;
  }

  /** Whether busflow can fit this model; a type whose models are trained elsewhere says false. */
  default boolean fits() {
    return true;
  }

  /**
   * The bytes a fit needs besides the rows it is given, for {@code features} feature columns, {@code classes}
   * distinct target values met so far (for a {@link #classifier}; 0 otherwise) and {@code threads} threads: a
   * solver's matrices, which grow with the square of the features (and of the classes, for a multinomial fit). A
   * training job counts them in its node's fit memory ({@code fitMaxBytes}) with the rows, from its first batch on,
   * so that a fit too wide for the node fails {@code TOO_LARGE} rather than running out of memory in its solver.
   * 0 by default.
   */
  default long fitBytes(int features, int classes, int threads) {
    return 0;
  }

  /**
   * Fits on a whole feature batch (numeric columns) and its target column; blocking, CPU-heavy. Fails with
   * an {@link IllegalArgumentException} saying why (for example a model that is trained elsewhere).
   */
  default Model fit(Batch features, Column target) {
    throw new IllegalArgumentException(type() + " models are trained elsewhere; use mode score");
  }

  /**
   * Fits on feature rows held in place ({@link RowChunks}: how a training job's fit session keeps them) and their
   * target column, with the same result as {@link #fit(Batch, Column)} on the same rows joined. The default joins
   * them ({@link RowChunks#join}, which empties {@code features}) and calls that; a type whose fit reads the rows
   * where they are overrides it to spare the copy.
   */
  default Model fit(RowChunks features, Column target) {
    if (!fits()) {
      return fit(Batch.of(), target);
    }
    return fit(features.join(RowBlocks.current()), target);
  }
}
