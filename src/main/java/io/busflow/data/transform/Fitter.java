package io.busflow.data.transform;

import io.busflow.data.Batch;

/**
 * Fits something over a stream of batches: {@link #accept(Batch)} once per batch, in any number, then
 * {@link #finish()} once. A fitter is single-use and not thread-safe; the result it returns is immutable.
 *
 * @param <T> what fitting produces
 */
public interface Fitter<T> {

  /** Takes one batch into the fitted statistics. */
  void accept(Batch batch);

  /** Ends fitting and returns the fitted result; fails when the batches seen cannot fit it. */
  T finish();
}
