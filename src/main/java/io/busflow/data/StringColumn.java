package io.busflow.data;

import java.util.Arrays;

/** A column of text or categorical levels; {@code null} marks a missing value. */
public record StringColumn(String name, String[] values) implements Column {

  public StringColumn {
    Batch.requireName(name);
  }

  @Override
  public ColumnType type() {
    return ColumnType.STRING;
  }

  @Override
  public int size() {
    return values.length;
  }

  public String get(int row) {
    return values[row];
  }

  @Override
  public boolean isMissing(int row) {
    return values[row] == null;
  }

  @Override
  public String text(int row) {
    return values[row];
  }

  @Override
  public Column renamed(String newName) {
    return new StringColumn(newName, values);
  }

  @Override
  public Column slice(int from, int to) {
    return new StringColumn(name, Arrays.copyOfRange(values, from, to));
  }

  @Override
  public Column select(int[] rows) {
    String[] out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new StringColumn(name, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StringColumn other && name.equals(other.name) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "StringColumn[" + name + ", " + values.length + " rows]";
  }
}
