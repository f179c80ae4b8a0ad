package io.busflow.data.metrics;

import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;

/** Reading class labels from columns, numerically when both sides are numeric, else as text. */
final class Labels {

  private Labels() {
  }

  static boolean numeric(Column c) {
    return !(c instanceof StringColumn);
  }

  /**
   * Row values as Double (numeric) or String (text, as {@link Column#text}); fails on a missing one. A numeric
   * column's rows of one value share one object (labels are a few classes: no boxing or formatting per row).
   */
  static Object[] read(Column c, boolean asNumbers) {
    Object[] out = new Object[c.size()];
    Distinct seen = c instanceof NumericColumn ? new Distinct() : null;
    for (int i = 0; i < out.length; i++) {
      if (c.isMissing(i)) {
        throw new IllegalArgumentException("metrics: column '" + c.name() + "' row " + i
            + " is missing; drop rows without a label before evaluating");
      }
      out[i] = seen != null ? seen.of((NumericColumn) c, i, asNumbers) : asNumbers ? (Object) number(c, i) : c.text(i);
    }
    return out;
  }

  /** The label objects of the distinct values met so far (by their bits), up to {@value #CACHED} of them. */
  private static final class Distinct {
    private static final int CACHED = 64;
    private final long[] bits = new long[CACHED];
    private final Object[] objects = new Object[CACHED];
    private int size;

    Object of(NumericColumn c, int row, boolean asNumber) {
      long b = Double.doubleToRawLongBits(c.get(row));
      for (int k = 0; k < size; k++) {
        if (bits[k] == b) {
          return objects[k];
        }
      }
      Object o = asNumber ? (Object) c.get(row) : c.text(row);
      if (size < CACHED) {
        bits[size] = b;
        objects[size++] = o;
      }
      return o;
    }
  }

  private static double number(Column c, int row) {
    return c instanceof NumericColumn n ? n.get(row) : Double.parseDouble(c.text(row).equals("true") ? "1" : "0");
  }

  static int compare(Object a, Object b) {
    return a instanceof Double x ? Double.compare(x, (Double) b) : ((String) a).compareTo((String) b);
  }

  static String text(Object label) {
    return label instanceof Number d ? new NumericColumn("l", new double[] {d.doubleValue()}).text(0) : (String) label;
  }

  static void requireSameSize(Column a, Column b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("metrics: '" + a.name() + "' has " + a.size() + " rows but '" + b.name()
          + "' has " + b.size());
    }
  }
}
