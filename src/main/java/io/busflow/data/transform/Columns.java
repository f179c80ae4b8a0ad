package io.busflow.data.transform;

import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;

/** Column helpers shared by the transformers. */
final class Columns {

  private Columns() {
  }

  /** The values of a numeric column (not copied) or a boolean column as 1/0/NaN; fails for text. */
  static double[] doubles(Column c) {
    if (c instanceof NumericColumn n) {
      return n.values();
    }
    if (c instanceof BooleanColumn b) {
      return fromBooleans(b.values());
    }
    throw new IllegalArgumentException("column '" + c.name() + "' is " + c.type()
        + " but a number is needed here; one-hot encode it, or drop it");
  }

  /** A numeric column as is, a boolean column as 1/0/NaN; fails for text. */
  static NumericColumn numeric(Column c) {
    return c instanceof NumericColumn n ? n : new NumericColumn(c.name(), doubles(c));
  }

  static String[] strings(Column c, String step) {
    if (c instanceof StringColumn s) {
      return s.values();
    }
    throw new IllegalArgumentException(step + ": column '" + c.name() + "' is " + c.type()
        + " but text levels are needed; only STRING columns can be used here");
  }

  private static double[] fromBooleans(byte[] b) {
    double[] out = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] == BooleanColumn.MISSING ? Double.NaN : b[i];
    }
    return out;
  }
}
