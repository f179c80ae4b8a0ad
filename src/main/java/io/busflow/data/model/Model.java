package io.busflow.data.model;

import io.busflow.data.Batch;
import java.util.List;
import java.util.Map;

/**
 * A fitted model: immutable, safe to share between threads, and fully described by its JSON-shaped
 * {@link #toState()}.
 */
public interface Model {

  /** The features the model was trained on, in coefficient order. */
  List<String> featureNames();

  /**
   * A version derived from the content of {@link #toState()} ({@code <type>-<16 hex digits of SHA-256>}):
   * equal states give equal versions, on every JVM, after any JSON round trip.
   */
  String version();

  /**
   * Predictions for a feature batch whose columns are exactly {@link #featureNames()} (any order) plus,
   * when {@code idColumn} is not null, that column, which is copied first into the output. Fails listing
   * missing and unexpected feature names when they differ, and naming the row and feature when a value is
   * missing (NaN). Works column by column, without per-row allocation.
   */
  Predictions predict(Batch features, String idColumn);

  /** {@link #predict(Batch, String)} without an id column. */
  default Predictions predict(Batch features) {
    return predict(features, null);
  }

  /** What {@link #predict} returns: the prediction column, and the classes and probability columns. */
  OutputSchema output();

  /**
   * The state, JSON-shaped, with a {@code "type"} key naming the model type that loads it again
   * ({@code io.busflow.stage.ModelType}).
   */
  Map<String, Object> toState();
}
