package io.busflow.data;

import java.util.Arrays;

/** A column of booleans stored as bytes: {@code 1} true, {@code 0} false, {@link #MISSING} missing. */
public record BooleanColumn(String name, byte[] values) implements Column {

  public static final byte MISSING = -1;

  public BooleanColumn {
    Batch.requireName(name);
  }

  @Override
  public ColumnType type() {
    return ColumnType.BOOLEAN;
  }

  @Override
  public int size() {
    return values.length;
  }

  public boolean get(int row) {
    return values[row] == 1;
  }

  @Override
  public boolean isMissing(int row) {
    return values[row] == MISSING;
  }

  @Override
  public String text(int row) {
    return switch (values[row]) {
      case 1 -> "true";
      case 0 -> "false";
      default -> null;
    };
  }

  @Override
  public Column renamed(String newName) {
    return new BooleanColumn(newName, values);
  }

  @Override
  public Column slice(int from, int to) {
    return new BooleanColumn(name, Arrays.copyOfRange(values, from, to));
  }

  @Override
  public Column select(int[] rows) {
    byte[] out = new byte[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new BooleanColumn(name, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BooleanColumn other && name.equals(other.name) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "BooleanColumn[" + name + ", " + values.length + " rows]";
  }
}
