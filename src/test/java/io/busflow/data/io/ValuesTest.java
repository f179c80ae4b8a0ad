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
      String text = randomDecimal(rnd);
      assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits(Values.parseNumber(text)), text);
    }
    for (String text : new String[] {"-0", "0.", ".5", "-.5", "007", "999999999999999", "0.000000000000001",
        "9999999999999999", "12345678.123456789", "1e5", "+3", " 4", "1.5 "}) {
      assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits(Values.parseNumber(text)), text);
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

  @Test
  void parseNumber_refusesTextSuffixesAndInfinitiesAndReadsNanAsMissing() {
    for (String text : new String[] {"abc", "1d", "2f", "Infinity", "-Infinity", "1e999", ".", "-", "1.2.3",
        "0x10", " "}) {
      assertEquals(Values.NOT_A_NUMBER, Values.parseNumber(text), text);
    }
    assertTrue(Double.isNaN(Values.parseNumber("NaN")));
    assertTrue(Double.isNaN(Values.parseNumber("nan")));
  }
}
