package io.busflow.data.model;

import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import io.busflow.data.RowChunks;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A fit's numeric feature columns, read a range of rows at a time where they are: one array per column, or the
 * runs of {@link RowChunks} (a fit session's kept rows, never joined). {@link #at} points a thread's {@link View}
 * at rows {@code at … at + m}: at the columns' own arrays when those rows are in one run, else at copies of them in
 * the view's tile. Either way a reader sees the same numbers in the same order, so a fit has the same bits on
 * rows held in one array or in any runs.
 */
final class FeatureColumns {

  private final RowChunks rows;
  private final int width;
  private final int[] starts;
  private final int[] offsets;
  /** Per run, per feature. */
  private final double[][][] arrays;

  private FeatureColumns(RowChunks rows, int[] starts, int[] offsets, double[][][] arrays) {
    this.rows = rows;
    this.width = rows.columnNames().size();
    this.starts = starts;
    this.offsets = offsets;
    this.arrays = arrays;
  }

  /** Every column of {@code features}, in their order; fails for one not numeric ({@link FeatureMatrix#columns}). */
  static FeatureColumns of(Batch features) {
    List<String> names = features.columnNames();
    return of(names, FeatureMatrix.columns(features, names, null), features.rowCount());
  }

  /** The columns {@code cols} of {@code n} rows each, named {@code names}, held whole. */
  static FeatureColumns of(List<String> names, double[][] cols, int n) {
    int[] offsets = {0};
    int[] counts = {n};
    return of(new RowChunks(names, new Object[][] {cols.clone()}, offsets, counts, null));
  }

  /** Every column of {@code rows}, in their order; fails as {@link FeatureMatrix#columns} does for one not numeric. */
  static FeatureColumns of(RowChunks rows) {
    List<String> names = rows.columnNames();
    for (String name : names) {
      if (rows.type(name) != ColumnType.NUMERIC) {
        throw FeatureMatrix.notNumeric(name, rows.type(name));
      }
    }
    int runs = rows.runs();
    int[] starts = new int[runs + 1];
    int[] offsets = new int[runs];
    double[][][] arrays = new double[runs][names.size()][];
    for (int r = 0; r < runs; r++) {
      starts[r + 1] = rows.start(r + 1);
      offsets[r] = rows.offset(r);
      for (int j = 0; j < names.size(); j++) {
        arrays[r][j] = rows.numeric(r, j);
      }
    }
    return new FeatureColumns(rows, starts, offsets, arrays);
  }

  /** The number of features. */
  int width() {
    return width;
  }

  /** The number of rows. */
  int rows() {
    return starts[starts.length - 1];
  }

  /** What one thread reads through: per feature an array and the offset of the rows asked for in it. */
  static final class View {
    /** Feature {@code j}'s row {@code at + i} is {@code arrays[j][offset + i]}. */
    final double[][] arrays;
    int offset;
    private final double[][] tile;

    private View(int width, int most) {
      this.arrays = new double[width][];
      this.tile = new double[width][most];
    }
  }

  /** A view for ranges of at most {@code most} rows. */
  View view(int most) {
    return new View(width, most);
  }

  /** Points {@code v} at rows {@code at … at + m} (m at most the view's size) of every feature. */
  void at(int at, int m, View v) {
    int r = runOf(at);
    if (at + m <= starts[r + 1]) {
      System.arraycopy(arrays[r], 0, v.arrays, 0, width);
      v.offset = offsets[r] + at - starts[r];
      return;
    }
    for (int from = at; from < at + m; r++) {
      int to = Math.min(at + m, starts[r + 1]);
      for (int j = 0; j < width; j++) {
        System.arraycopy(arrays[r][j], offsets[r] + from - starts[r], v.tile[j], from - at, to - from);
      }
      from = to;
    }
    System.arraycopy(v.tile, 0, v.arrays, 0, width);
    v.offset = 0;
  }

  /** Feature {@code j} of row {@code row}. */
  double get(int j, int row) {
    int r = runOf(row);
    return arrays[r][j][offsets[r] + row - starts[r]];
  }

  private int runOf(int row) {
    return rows.runOf(row);
  }

  /** Each feature's mean: its values summed in row order, over the rows. */
  double[] means() {
    double[] out = new double[width];
    for (int j = 0; j < width; j++) {
      double sum = 0;
      for (int r = 0; r < arrays.length; r++) {
        double[] c = arrays[r][j];
        int end = offsets[r] + starts[r + 1] - starts[r];
        for (int i = offsets[r]; i < end; i++) {
          sum += c[i];
        }
      }
      out[j] = sum / rows();
    }
    return out;
  }

  /**
   * Fails on the first missing value (NaN), by feature and then row, naming the feature and the row as
   * {@code describe} does: a fit must not start on one.
   */
  void requireNoMissing(List<String> features, IntFunction<String> describe) {
    for (int j = 0; j < width; j++) {
      for (int r = 0; r < arrays.length; r++) {
        double[] c = arrays[r][j];
        int end = offsets[r] + starts[r + 1] - starts[r];
        for (int i = offsets[r]; i < end; i++) {
          if (Double.isNaN(c[i])) {
            throw FeatureMatrix.missingInTraining(describe.apply(starts[r] + i - offsets[r]), features.get(j));
          }
        }
      }
    }
  }
}
