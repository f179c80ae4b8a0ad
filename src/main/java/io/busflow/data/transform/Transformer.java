package io.busflow.data.transform;

import io.busflow.data.Batch;
import java.util.List;
import java.util.Map;

/**
 * A fitted, immutable transformation of batches. {@link #transform(Batch)} keeps the batch's index and
 * first row, keeps the columns it does not touch, works column by column without per-row allocation, and
 * is safe to call from several threads at once.
 */
public interface Transformer {

  /** The batch transformed; fails naming the column when an input column is absent or of the wrong type. */
  Batch transform(Batch batch);

  /**
   * The fitted state, JSON-shaped (see {@link StateMaps}), with a {@code "type"} key: the name of the
   * {@link StepType} that loads it back.
   */
  Map<String, Object> toState();

  /**
   * The input columns {@link #transform} reads, in order, each with what it must hold; a {@link Preprocessor}
   * lists them among its {@link Preprocessor#inputs() inputs} (which a score job's types come from). None
   * by default.
   */
  default Map<String, Preprocessor.Input> reads() {
    return Map.of();
  }

  /** The columns {@link #transform} makes, so that a later step reading one is not reading an input. */
  default List<String> makes() {
    return List.of();
  }
}
