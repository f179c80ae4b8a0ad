package io.busflow.data;

import java.util.Arrays;

/** A column of doubles; {@code NaN} marks a missing value. */
public record NumericColumn(String name, double[] values) implements Column {

  public NumericColumn {
    Batch.requireName(name);
  }

  @Override
  public ColumnType type() {
    return ColumnType.NUMERIC;
  }

  @Override
  public int size() {
    return values.length;
  }

  public double get(int row) {
    return values[row];
  }

  @Override
  public boolean isMissing(int row) {
    return Double.isNaN(values[row]);
  }

  @Override
  public String text(int row) {
    double v = values[row];
    if (Double.isNaN(v)) {
      return null;
    }
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public Column renamed(String newName) {
    return new NumericColumn(newName, values);
  }

  @Override
  public Column slice(int from, int to) {
    return new NumericColumn(name, Arrays.copyOfRange(values, from, to));
  }

  @Override
  public Column select(int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new NumericColumn(name, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NumericColumn other && name.equals(other.name) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "NumericColumn[" + name + ", " + values.length + " rows]";
  }
}
