package io.busflow.data.transform;

import io.busflow.data.Batch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitter that needs only per-column {@link ColumnStats}. Because missing values are counted apart, it
 * can be fed batches from before an imputer and told the imputer's fill values at the end
 * ({@link #finish(Map)}): that is what lets a {@link Preprocessor} fit impute-then-scale in one pass.
 */
abstract class StatsFitter<T> implements Fitter<T> {

  private final String step;
  private final List<String> columns;
  private final Map<String, ColumnStats> stats = new LinkedHashMap<>();
  private boolean seenBatch;

  StatsFitter(String step, List<String> columns, boolean keepValues, boolean countValues) {
    this.step = step;
    this.columns = List.copyOf(columns);
    for (String c : columns) {
      ColumnStats s = ColumnStats.of(c, keepValues, countValues);
      s.limitLevels(ColumnStats.DEFAULT_MAX_LEVELS, ColumnStats.DEFAULT_MAX_LEVEL_CHARS, step);
      stats.put(c, s);
    }
  }

  /** Bounds the category levels each column may have (see {@link ColumnStats#limitLevels}). */
  final StatsFitter<T> limitLevels(int maxLevels, int maxLevelChars, String place) {
    stats.values().forEach(s -> s.limitLevels(maxLevels, maxLevelChars, place));
    return this;
  }

  /** The columns this fitter reads. */
  final List<String> reads() {
    return columns;
  }

  @Override
  public final void accept(Batch batch) {
    seenBatch = true;
    for (ColumnStats s : stats.values()) {
      s.accept(batch.column(s.column));
    }
  }

  @Override
  public final long keptBytes() {
    long sum = 0;
    for (ColumnStats s : stats.values()) {
      sum += s.keptBytes();
    }
    return sum;
  }

  @Override
  public final boolean mergeable() {
    return true;
  }

  @Override
  public final void merge(Fitter<T> later) {
    StatsFitter<T> o = (StatsFitter<T>) later;
    seenBatch |= o.seenBatch;
    for (ColumnStats s : stats.values()) {
      s.merge(o.stats.get(s.column));
    }
  }

  @Override
  public final T finish() {
    return finish(Map.of());
  }

  /** Finishes as if the missing values of the named columns had been filled upstream with these values. */
  final T finish(Map<String, Object> upstreamFills) {
    if (!seenBatch) {
      throw new IllegalStateException(step + ": no batch was seen; fitting needs at least one batch");
    }
    for (ColumnStats s : stats.values()) {
      s.fillMissing(upstreamFills.get(s.column));
    }
    return build(stats);
  }

  /** Fails naming the step and column when a column held no value at all. */
  final void requireValues(ColumnStats s) {
    if (s.n == 0) {
      throw new IllegalArgumentException(step + ": column '" + s.column + "' has no non-missing value in "
          + "the fitting data (" + s.missing + " missing); drop it or impute it with a constant");
    }
  }

  abstract T build(Map<String, ColumnStats> stats);
}
