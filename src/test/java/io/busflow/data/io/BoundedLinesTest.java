package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

  private static List<String> lines(String text, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (BoundedLines lines = new BoundedLines(new StringReader(text), max)) {
      for (String s = lines.next(); s != null; s = lines.next()) {
        out.add(lines.tooLong() ? "<" + lines.length() + ">" : s);
      }
    }
    return out;
  }

  private static List<String> readLines(String text) throws IOException {
    return new BufferedReader(new StringReader(text)).lines().toList();
  }

  @Test
  void splitsAsReadLineDoes_atLfCrLfAndCr_withALastLineWithoutABreak() throws IOException {
    for (String text : List.of("a\nb\r\nc\rd", "a\n\nb\r\n\r\n", "", "\n", "\r\n\r", "x", "a\r", "a\r\nb\n")) {
      assertEquals(readLines(text), lines(text, 100), text.replace("\r", "\\r").replace("\n", "\\n"));
    }
  }

  @Test
  void aLineOverTheBound_isGivenEmptyWithItsLength_andTheNextLineIsWhole() throws IOException {
    String text = "ab\n" + "x".repeat(10) + "\n" + "y".repeat(11) + "\r\nz";
    assertEquals(List.of("ab", "x".repeat(10), "<11>", "z"), lines(text, 10));
    try (BoundedLines lines = new BoundedLines(new StringReader("y".repeat(11)), 10)) {
      assertEquals("", lines.next());
      assertTrue(lines.tooLong());
      assertNull(lines.next());
      assertFalse(lines.tooLong());
    }
  }

  @Test
  void linesAndBreaksAcrossItsBuffer_areReadAsOne() throws IOException {
    // the buffer holds 65536 characters: a long line and a \r\n that spans two fills
    String longLine = "q".repeat(65_535);
    String text = longLine + "\r\nafter\n" + "w".repeat(200_000) + "\nend";
    assertEquals(readLines(text), lines(text, 300_000));
    assertEquals(List.of(longLine, "after", "<200000>", "end"), lines(text, 100_000));
  }
}
