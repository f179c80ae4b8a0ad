package io.busflow.data.io;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
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
   * are refused, so the numbers accepted are those Python's {@code float()} accepts, except inf. The value is
   * bit for bit what {@link Double#parseDouble} returns, from FastDoubleParser (correctly rounded like it, and
   * several times faster).
   */
  static double parseNumber(String text) {
    int n = text.length();
    char last = text.charAt(n - 1);
    if (!mayEndNumber(last)) {
      return isNanToken(text) ? Double.NaN : NOT_A_NUMBER;
    }
    try {
      return finite(JavaDoubleParser.parseDouble(text));
    } catch (NumberFormatException e) {
      return NOT_A_NUMBER;
    }
  }

  /**
   * {@link #parseNumber(String)} over {@code len > 0} characters of a buffer, where the CSV parser found a field:
   * the same answers without a string per field, plain decimals through {@link #parseSimpleDecimal}.
   */
  static double parseNumber(char[] buf, int offset, int len) {
    double simple = parseSimpleDecimal(buf, offset, len);
    if (simple == simple) {
      return simple;
    }
    if (!mayEndNumber(buf[offset + len - 1])) {
      return isNanToken(buf, offset, len) ? Double.NaN : NOT_A_NUMBER;
    }
    try {
      return finite(JavaDoubleParser.parseDouble(buf, offset, len));
    } catch (NumberFormatException e) {
      return NOT_A_NUMBER;
    }
  }

  /**
   * The value of a plain decimal ({@code -12}, {@code 3.25}) of at most 15 digits, or {@code NaN} for anything
   * else: the usual CSV number, read here in about half the time FastDoubleParser takes (which handles every
   * form). Exact, so bit for bit what {@link Double#parseDouble} returns: the digits form an integer below
   * 2^53 and 10^k (k &le; 15) is a double, and IEEE division rounds their quotient correctly (Clinger's fast
   * path).
   */
  static double parseSimpleDecimal(char[] buf, int offset, int len) {
    if (len > 17) {
      return Double.NaN;
    }
    int end = offset + len;
    boolean negative = buf[offset] == '-';
    long digits = 0;
    int count = 0;
    int point = -1;
    for (int i = negative ? offset + 1 : offset; i < end; i++) {
      char c = buf[i];
      if (c >= '0' && c <= '9') {
        digits = digits * 10 + (c - '0');
        count++;
      } else if (c == '.' && point < 0) {
        point = i;
      } else {
        return Double.NaN;
      }
    }
    if (count == 0 || count > 15) {
      return Double.NaN;
    }
    double v = point < 0 ? digits : digits / POW10[end - point - 1];
    return negative ? -v : v;
  }

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  /** Whether a number busflow accepts may end with {@code c}: a digit, a point or a space (trimmed). */
  private static boolean mayEndNumber(char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == ' ';
  }

  private static double finite(double v) {
    return Double.isInfinite(v) ? NOT_A_NUMBER : v;
  }

  static boolean isNumber(String text) {
    return parseNumber(text) != NOT_A_NUMBER;
  }

  private static boolean isNanToken(String text) {
    return text.equals("NaN") || text.equals("nan");
  }

  private static boolean isNanToken(char[] buf, int offset, int len) {
    return len == 3 && (buf[offset] == 'N' || buf[offset] == 'n') && buf[offset + 1] == 'a'
        && buf[offset + 2] == buf[offset];
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
