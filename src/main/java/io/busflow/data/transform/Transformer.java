package io.busflow.data.transform;

import io.busflow.data.Batch;
import java.util.Map;

/**
 * A fitted, immutable transformation of batches. {@link #transform(Batch)} keeps the batch's index and
 * first row, keeps the columns it does not touch, works column by column without per-row allocation, and
 * is safe to call from several threads at once.
 */
public interface Transformer {

  /** The batch transformed; fails naming the column when an input column is absent or of the wrong type. */
  Batch transform(Batch batch);

  /** The fitted state, JSON-shaped (see {@link StateMaps}), with a {@code "type"} key. */
  Map<String, Object> toState();
}
