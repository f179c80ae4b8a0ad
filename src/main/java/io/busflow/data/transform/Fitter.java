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

  /**
   * An estimate of the bytes this fitter holds that grow with the rows fed (a median keeps every value: 8 bytes a
   * row), read by the fit session after each batch to bound a node's fit memory; may be read from another thread
   * than the one feeding it. 0 by default: a fitter that keeps rows or values should say how much.
   */
  default long keptBytes() {
    return 0;
  }

  /**
   * Whether {@link #merge} works, so that consecutive parts of a stream can be fitted apart (in parallel)
   * and merged; false by default (a plugin's fitter is then fed the whole stream in order).
   */
  default boolean mergeable() {
    return false;
  }

  /**
   * Takes in the statistics of {@code later}, a fitter made the same way as this one and fed rows that all
   * come after this one's; then only this one is finished. Merging P parts in order fits what one fitter fed
   * every row in order fits (counts, levels, medians and most-frequent values exactly; means and variances
   * by Chan's parallel formula).
   *
   * @throws UnsupportedOperationException when this fitter is not {@link #mergeable()}
   */
  default void merge(Fitter<T> later) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot merge partial fits");
  }
}
