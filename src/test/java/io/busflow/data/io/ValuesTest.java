package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void parseNumber_isBitForBitParseDoubleOnPlainDecimals() {
    Random rnd = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      assertSameAsParseDouble(randomDecimal(rnd));
    }
    for (String text : new String[] {"-0", "0.", ".5", "-.5", "007", "999999999999999", "0.000000000000001",
        "9999999999999999", "12345678.123456789", "1e5", "+3", " 4", "1.5 "}) {
      assertSameAsParseDouble(text);
    }
  }

  private static String randomDecimal(Random rnd) {
    StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "-" : "");
    int intDigits = rnd.nextInt(10);
    int fracDigits = rnd.nextInt(12);
    for (int i = 0; i < intDigits; i++) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    if (fracDigits > 0 || intDigits == 0) {
      sb.append('.');
      for (int i = 0; i <= fracDigits; i++) {
        sb.append((char) ('0' + rnd.nextInt(10)));
      }
    }
    return sb.toString();
  }

  /**
   * What busflow accepted before FastDoubleParser, with {@link Double#parseDouble} itself: the same gate on
   * the last character and the NaN tokens, parseDouble's value, infinities refused.
   */
  private static double parseDoubleReference(String text) {
    char last = text.charAt(text.length() - 1);
    if ((last < '0' || last > '9') && last != '.' && last != ' ') {
      return text.equals("NaN") || text.equals("nan") ? Double.NaN : Values.NOT_A_NUMBER;
    }
    try {
      double v = Double.parseDouble(text);
      return Double.isInfinite(v) ? Values.NOT_A_NUMBER : v;
    } catch (NumberFormatException e) {
      return Values.NOT_A_NUMBER;
    }
  }

  /** Both entry points, the string and a field inside a larger character buffer, against the reference. */
  private static void assertSameAsParseDouble(String text) {
    long want = Double.doubleToRawLongBits(parseDoubleReference(text));
    assertEquals(want, Double.doubleToRawLongBits(Values.parseNumber(text)), () -> "string '" + text + "'");
    char[] buf = ("9," + text + ",9").toCharArray();
    assertEquals(want, Double.doubleToRawLongBits(Values.parseNumber(buf, 2, text.length())),
        () -> "buffer '" + text + "'");
  }

  @Test
  void parseNumber_isParseDoubleOnExponentsLongDigitStringsSubnormalsAndNegativeZero() {
    String[] edges = {
      "1e5", "1E5", "1e+5", "1e-5", "-2.5E-3", "1.5e10", ".5e1", "5.e-1", "0e0", "-0e5", "1e308", "1.7976931348623157e308",
      "1.7976931348623158e308", "1.7976931348623159e308", "2e308", "1e-400", "-1e-400",
      "2.2250738585072014E-308", "2.2250738585072011e-308", "4.9e-324", "5e-324", "2.4703282292062328e-324",
      "2.4703282292062327e-324", "1e-320", "-3.5e-315", "4.9406564584124654e-324",
      "-0", "-0.0", "-0.", "-.0", "0.000", "+0", "-0e-999",
      "3.14159265358979323846264338327950288419716939937510", "0.1000000000000000055511151231257827021181583404541015625",
      "123456789012345678901234567890", "9007199254740993", "9007199254740992.5", "18014398509481985",
      "0.30000000000000004", "1234567890123456789e-10", "00000000000000000000000000001.5", "7" + "0".repeat(400),
      "0." + "0".repeat(330) + "1", "1" + "0".repeat(310), "+3", " 4", "\t5", "1.5 ", " 12 ", "1d", "2f", "1e",
      "1e+", "e5", "-", "+", ".", "..5", "1.2.3", "1,5", "0x10", "0x1p3", "0x1.8p1", "1_000", "١٢", "NaN", "nan",
      "NAN", "Nan", "-NaN", "+NaN", "NaN ", "nan ", "Infinity", "-Infinity", "+Infinity", "Infinity ", "inf",
      "-inf", "Inf", "1e999 ", " "};
    for (String text : edges) {
      assertSameAsParseDouble(text);
    }
    Random rnd = new Random(17);
    for (int i = 0; i < 100_000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      assertSameAsParseDouble(Double.toString(d));
      assertSameAsParseDouble(randomDecimal(rnd) + "e" + (rnd.nextInt(700) - 350));
    }
    for (int i = 0; i < 2_000; i++) {
      double subnormal = Double.longBitsToDouble(rnd.nextLong() & 0x000F_FFFF_FFFF_FFFFL);
      assertSameAsParseDouble(new java.math.BigDecimal(subnormal).toString());
      assertSameAsParseDouble(new java.math.BigDecimal(rnd.nextDouble() * 1e6).toPlainString());
    }
  }

  @Test
  void parseNumber_refusesTextSuffixesAndInfinitiesAndReadsNanAsMissing() {
    for (String text : new String[] {"abc", "1d", "2f", "Infinity", "-Infinity", "1e999", ".", "-", "1.2.3",
        "0x10", " "}) {
      assertEquals(Values.NOT_A_NUMBER, Values.parseNumber(text), text);
    }
    assertTrue(Double.isNaN(Values.parseNumber("NaN")));
    assertTrue(Double.isNaN(Values.parseNumber("nan")));
    assertTrue(Double.isNaN(Values.parseNumber("NaN".toCharArray(), 0, 3)));
    assertEquals(Values.NOT_A_NUMBER, Values.parseNumber("NAN".toCharArray(), 0, 3));
  }
}
