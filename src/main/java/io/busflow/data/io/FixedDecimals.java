package io.busflow.data.io;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats a double with a fixed number of decimals exactly as Python's {@code f"{v:.Nf}"} does: the exact
 * binary value rounded half-to-even, the sign kept when the result is zero ({@code -0.000000}),
 * {@code nan}, {@code inf} and {@code -inf} for the special values.
 *
 * <p>Most values take a fast path without {@link BigDecimal}: when the scaled value is below 10^12 and its
 * fraction is more than one ulp of the scaled value away from one half, the one rounding error of the scaling
 * (half an ulp: 10^d is exact as a double for d &le; 15) cannot change the result. Values that near a tie and
 * large values go through {@link BigDecimal}, which is exact.
 */
public final class FixedDecimals {

  /** The most decimals supported. */
  public static final int MAX_DECIMALS = 15;

  private static final long[] POW10 = new long[MAX_DECIMALS + 1];

  static {
    POW10[0] = 1;
    for (int i = 1; i <= MAX_DECIMALS; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private FixedDecimals() {
  }

  /** {@code value} with {@code decimals} digits after the point (0 to {@value #MAX_DECIMALS}). */
  public static String format(double value, int decimals) {
    StringBuilder sb = new StringBuilder(24);
    appendTo(sb, value, decimals);
    return sb.toString();
  }

  /** Appends what {@link #format} returns, without the intermediate string. */
  public static void appendTo(StringBuilder sb, double value, int decimals) {
    String special = special(value, decimals);
    if (special != null) {
      sb.append(special);
      return;
    }
    long units = fastUnits(value, decimals);
    if (units < 0) {
      appendExact(sb, value, decimals);
      return;
    }
    appendSign(sb, value);
    appendUnits(sb, units, decimals);
  }

  /** Appends what {@link #format} returns, as UTF-8 bytes. */
  static void appendTo(Utf8Buffer out, double value, int decimals) {
    String special = special(value, decimals);
    long units = special != null ? -1 : fastUnits(value, decimals);
    if (units < 0) {
      out.text(special != null ? special : format(value, decimals));
      return;
    }
    if (Double.doubleToRawLongBits(value) < 0) {
      out.ascii('-');
    }
    out.digits(units / POW10[decimals]);
    if (decimals > 0) {
      out.ascii('.');
      out.digits(units % POW10[decimals], decimals);
    }
  }

  /** The text of NaN and the infinities; null for a finite value. Checks {@code decimals}. */
  private static String special(double value, int decimals) {
    if (decimals < 0 || decimals > MAX_DECIMALS) {
      throw new IllegalArgumentException("decimals must be 0 to " + MAX_DECIMALS + ", got " + decimals);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }
    return null;
  }

  /**
   * {@code |value|} in units of 10^-decimals, rounded as Python rounds it, or -1 where this fast path cannot be
   * sure of the rounding (near a tie, or at least 10^12 units).
   */
  private static long fastUnits(double value, int decimals) {
    double scaled = Math.abs(value) * POW10[decimals];
    if (!(scaled < 1e12)) {
      return -1;
    }
    double floor = Math.floor(scaled);
    double fraction = scaled - floor;
    if (Math.abs(fraction - 0.5) <= Math.ulp(scaled)) {
      return -1;
    }
    return (long) floor + (fraction > 0.5 ? 1 : 0);
  }

  /** Appends {@code units} as a fixed-point number of {@code decimals} decimals, without a string in between. */
  private static void appendUnits(StringBuilder sb, long units, int decimals) {
    sb.append(units / POW10[decimals]);
    if (decimals > 0) {
      long fraction = units % POW10[decimals];
      sb.append('.');
      for (int width = decimals - 1; width > 0 && fraction < POW10[width]; width--) {
        sb.append('0');
      }
      sb.append(fraction);
    }
  }

  private static void appendExact(StringBuilder sb, double value, int decimals) {
    String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).abs().toPlainString();
    appendSign(sb, value);
    sb.append(text);
  }

  private static void appendSign(StringBuilder sb, double value) {
    if (Double.doubleToRawLongBits(value) < 0) {
      sb.append('-');
    }
  }
}
