package io.busflow.data.io;

import io.busflow.data.BooleanColumn;

/** Parsing of field text into column values, shared by inference and reading. */
final class Values {

  /** Returned by {@link #parseNumber} for text that is not a finite number. */
  static final double NOT_A_NUMBER = Double.NEGATIVE_INFINITY;

  private Values() {
  }

  /**
   * The number in {@code text}: {@code NaN} (missing) for {@code NaN}/{@code nan}, {@link #NOT_A_NUMBER}
   * when the text is not a finite decimal number. Java's suffixes ({@code 1d}, {@code 2f}) and infinities
   * are refused, so the numbers accepted are those Python's {@code float()} accepts, except inf.
   */
  static double parseNumber(String text) {
    char last = text.charAt(text.length() - 1);
    if ((last < '0' || last > '9') && last != '.' && last != ' ') {
      return isNanToken(text) ? Double.NaN : NOT_A_NUMBER;
    }
    try {
      double v = Double.parseDouble(text);
      return Double.isInfinite(v) ? NOT_A_NUMBER : v;
    } catch (NumberFormatException e) {
      return NOT_A_NUMBER;
    }
  }

  static boolean isNumber(String text) {
    return parseNumber(text) != NOT_A_NUMBER;
  }

  private static boolean isNanToken(String text) {
    return text.equals("NaN") || text.equals("nan");
  }

  /** 1 for true, 0 for false (any case), {@code -2} for anything else. */
  static byte parseBoolean(String text) {
    if (text.length() == 4 && text.equalsIgnoreCase("true")) {
      return 1;
    }
    if (text.length() == 5 && text.equalsIgnoreCase("false")) {
      return 0;
    }
    return text.isEmpty() ? BooleanColumn.MISSING : -2;
  }

  /** The value as it goes into a message: quoted, shortened past 60 characters, line breaks shown. */
  static String quoted(String value) {
    String v = value.length() > 60 ? value.substring(0, 57) + "..." : value;
    return "'" + v.replace("\r", "\\r").replace("\n", "\\n") + "'";
  }

  /** The value kept in a {@link DataException}: shortened past 200 characters. */
  static String shortened(String value) {
    return value == null || value.length() <= 200 ? value : value.substring(0, 197) + "...";
  }
}
