package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedDecimalsTest {

  /** decimals.csv is written by Python 3 (value repr; decimals; f"{value:.{decimals}f}"). */
  @Test
  void formatAndTheWritersBytes_matchPythonOnAGoldenFileOfTiesTinyHugeAndRandomValues() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        FixedDecimalsTest.class.getResourceAsStream("decimals.csv"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(";");
        double value = Double.parseDouble(f[0]);
        int decimals = Integer.parseInt(f[1]);
        String got = FixedDecimals.format(value, decimals);
        String bytes = bytes(value, decimals);
        checked++;
        if (!got.equals(f[2]) || !bytes.equals(f[2])) {
          mismatches.add(line + " -> " + got + " / bytes " + bytes);
        }
      }
    }
    assertTrue(checked > 8000, "golden file read: " + checked);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void formatAndTheWritersBytes_roundExactBinaryTiesHalfToEvenAndKeepTheSignOfZero() throws IOException {
    assertEquals("0.007812", FixedDecimals.format(1.0 / 128, 6));
    assertEquals("0.023438", FixedDecimals.format(3.0 / 128, 6));
    assertEquals("2.67", FixedDecimals.format(2.675, 2));
    assertEquals("2", FixedDecimals.format(2.5, 0));
    assertEquals("-0.000000", FixedDecimals.format(-1e-9, 6));
    assertEquals("nan", FixedDecimals.format(Double.NaN, 6));
    assertEquals("-inf", FixedDecimals.format(Double.NEGATIVE_INFINITY, 6));
    assertEquals("-0.000000", bytes(-1e-9, 6));
    assertEquals("2", bytes(2.5, 0));
    assertEquals("-inf", bytes(Double.NEGATIVE_INFINITY, 6));
    assertEquals("0.000001", bytes(1e-6, 6));
  }

  /**
   * The fast path against BigDecimal's exact rounding, on values made to fall next to a tie (n + 1/2 units give or
   * take a few ulps), on probabilities and on spread magnitudes, with every number of decimals the writer uses.
   */
  @Test
  void fastPath_agreesWithExactRoundingNextToTiesAndEverywhereElse() throws IOException {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < 300_000 && mismatches.size() < 10; i++) {
      int decimals = random.nextInt(0, 10);
      double value = switch (i % 3) {
        case 0 -> nearTie(random, decimals);
        case 1 -> random.nextDouble();
        default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 12));
      };
      String exact = (Double.doubleToRawLongBits(value) < 0 ? "-" : "")
          + new java.math.BigDecimal(value).setScale(decimals, java.math.RoundingMode.HALF_EVEN).abs().toPlainString();
      if (!FixedDecimals.format(value, decimals).equals(exact) || !bytes(value, decimals).equals(exact)) {
        mismatches.add(value + " with " + decimals + ": " + FixedDecimals.format(value, decimals) + " / " + exact);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  private static double nearTie(java.util.SplittableRandom random, int decimals) {
    double tie = (random.nextLong(0, 10_000_000) + 0.5) / Math.pow(10, decimals);
    for (int steps = random.nextInt(-3, 4); steps != 0; steps -= Integer.signum(steps)) {
      tie = steps > 0 ? Math.nextUp(tie) : Math.nextDown(tie);
    }
    return tie;
  }

  /** What the CSV writer appends for {@code value}, read back as text. */
  private static String bytes(double value, int decimals) throws IOException {
    Utf8Buffer buffer = new Utf8Buffer(4);
    FixedDecimals.appendTo(buffer, value, decimals);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    buffer.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
