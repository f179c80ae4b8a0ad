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
  void format_matchesPythonOnAGoldenFileOfTiesTinyHugeAndRandomValues() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        FixedDecimalsTest.class.getResourceAsStream("decimals.csv"), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(";");
        String got = FixedDecimals.format(Double.parseDouble(f[0]), Integer.parseInt(f[1]));
        checked++;
        if (!got.equals(f[2])) {
          mismatches.add(line + " -> " + got);
        }
      }
    }
    assertTrue(checked > 8000, "golden file read: " + checked);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void format_roundsExactBinaryTiesHalfToEvenAndKeepsTheSignOfZero() {
    assertEquals("0.007812", FixedDecimals.format(1.0 / 128, 6));
    assertEquals("0.023438", FixedDecimals.format(3.0 / 128, 6));
    assertEquals("2.67", FixedDecimals.format(2.675, 2));
    assertEquals("2", FixedDecimals.format(2.5, 0));
    assertEquals("-0.000000", FixedDecimals.format(-1e-9, 6));
    assertEquals("nan", FixedDecimals.format(Double.NaN, 6));
    assertEquals("-inf", FixedDecimals.format(Double.NEGATIVE_INFINITY, 6));
  }
}
