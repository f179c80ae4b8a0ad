package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8BufferTest {

  @Test
  void digits_areWhatLongToStringWrites_atEveryLengthAndBothEnds() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    long[] edges = {0, 1, 9, 10, 99, 100, 999, 1000, -1, -9, -10, -100, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};
    for (long v : edges) {
      assertEquals(Long.toString(v), written(b -> b.digits(v)));
    }
    for (int i = 0; i < 20_000; i++) {
      long v = random.nextLong() >> random.nextInt(64);
      assertEquals(Long.toString(v), written(b -> b.digits(v)), "value " + v);
    }
  }

  @Test
  void paddedDigits_haveZerosFirstUpToTheWidthAndNeverCutTheValue() throws IOException {
    assertEquals("000042", written(b -> b.digits(42, 6)));
    assertEquals("000000", written(b -> b.digits(0, 6)));
    assertEquals("123456", written(b -> b.digits(123_456, 6)));
    assertEquals("1234567", written(b -> b.digits(1_234_567, 6)));
    assertEquals("7", written(b -> b.digits(7, 0)));
  }

  @Test
  void text_isTheJdksUtf8_unpairedSurrogatesIncluded() throws IOException {
    String[] texts = {"", "plain", "café", "日本語", "emoji \uD83D\uDE00 pair", "lone \uD800 high",
        "lone \uDC00 low", "end \uD83D", "\u007F\u0080\u07FF\u0800\uFFFF"};
    for (String t : texts) {
      Utf8Buffer buffer = new Utf8Buffer(1);
      buffer.ascii('[');
      buffer.text(t);
      buffer.ascii(']');
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      buffer.writeTo(out);
      assertArrayEquals(("[" + t + "]").getBytes(StandardCharsets.UTF_8), out.toByteArray(), t);
      assertEquals(0, buffer.size());
    }
  }

  @Test
  void plainField_appendsFieldsThatNeedNoQuotesAndNothingOfTheOthers() throws IOException {
    assertEquals("plain", written(b -> assertTrue(b.plainField("plain", ','))));
    assertEquals("café;日本", written(b -> assertTrue(b.plainField("café;日本", ','))));
    for (String t : new String[] {"a,b", "say \"hi\"", "two\nlines", "cr\r", "é,", "日本\n"}) {
      assertEquals("", written(b -> assertFalse(b.plainField(t, ','))), t);
    }
    assertEquals("", written(b -> assertFalse(b.plainField("a\tb", '\t'))));
    assertEquals("x", written(b -> {
      b.ascii('x');
      assertFalse(b.plainField("日本\"", ','));
    }));
  }

  private interface Append {
    void to(Utf8Buffer buffer);
  }

  private static String written(Append append) throws IOException {
    Utf8Buffer buffer = new Utf8Buffer(2);
    append.to(buffer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    buffer.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
