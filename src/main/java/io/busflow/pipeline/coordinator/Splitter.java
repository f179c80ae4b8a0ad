package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.pipeline.protocol.PipelineDefinition;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Picks the training and test rows of a batch by the pipeline's split, drops the split column, and turns
 * a boolean label into numbers 1/0 (so that its classes read the same everywhere). Stateless.
 */
final class Splitter {

  private final PipelineDefinition.Split split;
  private final String label;

  Splitter(PipelineDefinition.Split split, String label) {
    this.split = split;
    this.label = label;
  }

  /** The training rows of {@code batch}. */
  Batch train(Batch batch) {
    return pick(batch, false);
  }

  /** The test rows of {@code batch} (of a training source; a separate test source is {@link #prepare}d whole). */
  Batch test(Batch batch) {
    return pick(batch, true);
  }

  /** Whether the split holds out any row of the training source. */
  boolean holdsOut() {
    return !(split instanceof PipelineDefinition.TestSource)
        && !(split instanceof PipelineDefinition.Fraction f && f.test() == 0);
  }

  /** Whether the split picks rows by their position in the source ({@link Batch#firstRow()}). */
  boolean positional() {
    return split instanceof PipelineDefinition.Fraction f && f.test() > 0;
  }

  /** {@code batch} with the split column dropped and a boolean label as numbers. */
  Batch prepare(Batch batch) {
    return prepare(batch, column(), label);
  }

  /** The column the split reads and drops, or null. */
  String column() {
    return split instanceof PipelineDefinition.ByColumn c ? c.column() : null;
  }

  /** {@code batch} with {@code splitColumn} dropped (when not null) and a boolean {@code label} as numbers. */
  static Batch prepare(Batch batch, String splitColumn, String label) {
    Batch b = splitColumn != null ? batch.drop(Set.of(splitColumn)) : batch;
    if (label != null && b.has(label) && b.column(label) instanceof BooleanColumn bool) {
      b = b.withColumns(List.of(numeric(bool)));
    }
    return b;
  }

  private Batch pick(Batch batch, boolean test) {
    if (split instanceof PipelineDefinition.TestSource) {
      return test ? batch.slice(0, 0) : prepare(batch);
    }
    int[] rows = new int[batch.rowCount()];
    int n = 0;
    for (int i = 0; i < rows.length; i++) {
      if (isTest(batch, i) == test) {
        rows[n++] = i;
      }
    }
    Batch picked = n == rows.length ? batch : batch.selectRows(Arrays.copyOf(rows, n));
    return prepare(picked);
  }

  private boolean isTest(Batch batch, int row) {
    if (split instanceof PipelineDefinition.ByColumn c) {
      return c.testValue().equals(batch.column(c.column()).text(row));
    }
    PipelineDefinition.Fraction f = (PipelineDefinition.Fraction) split;
    return uniform(f.seed(), batch.firstRow() + row) < f.test();
  }

  /** A uniform number in [0, 1) from (seed, position): SplitMix64's finalizer. */
  static double uniform(long seed, long position) {
    long z = seed * 0x9E3779B97F4A7C15L + position * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53;
  }

  private static Column numeric(BooleanColumn c) {
    double[] v = new double[c.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = c.isMissing(i) ? Double.NaN : c.get(i) ? 1 : 0;
    }
    return new NumericColumn(c.name(), v);
  }
}
