package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Line counting and quote tracking do not depend on where reads cut the text: random CSV-ish texts read in
 * random-sized pieces give the lines and open-quote lines of a plain character-by-character reference.
 */
class CheckedUtf8ReaderTest {

  private static final char[] ALPHABET = {'a', 'b', ',', ',', '"', '\n', '\n', '\r', '1'};

  @Test
  void linesAndOpenQuotesDoNotDependOnReadSizes() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String text = randomText(random, 1 + random.nextInt(i < 10_000 ? 12 : 200));
      Reference expected = Reference.of(text + '\uFFFD');
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      byte[] bytes = java.util.Arrays.copyOf(utf8, utf8.length + 1);
      bytes[utf8.length] = (byte) 0xFF;
      CheckedUtf8Reader reader = CheckedUtf8Reader.forCsv(new ByteArrayInputStream(bytes), ',');
      char[] buf = new char[256];
      while (reader.read(buf, 0, 1 + random.nextInt(random.nextBoolean() ? 3 : 64)) >= 0) {
        // reading is what is tested
      }
      String where = "text " + text.replace("\r", "\\r").replace("\n", "\\n");
      assertEquals(expected.line, reader.invalidBytes().peek().line(), "line at the end of " + where);
      assertEquals(expected.openQuoteLine, reader.openQuoteLine(), "open quote line of " + where);
    }
  }

  private static String randomText(Random random, int length) {
    StringBuilder b = new StringBuilder(length);
    boolean quoteFree = random.nextInt(4) == 0;
    for (int i = 0; i < length; i++) {
      char c = ALPHABET[random.nextInt(ALPHABET.length)];
      b.append(quoteFree && c == '"' ? 'q' : c);
    }
    return b.toString();
  }

  /** RFC 4180 quoting followed character by character: the line count, and where an unclosed quote opened. */
  private record Reference(long line, long openQuoteLine) {

    static Reference of(String text) {
      long line = 1;
      long quoteLine = 0;
      boolean inQuotes = false;
      boolean fieldStart = true;
      boolean quoteInQuotes = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\r' || (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r'))) {
          line++;
        }
        if (inQuotes) {
          if (c == '"') {
            inQuotes = false;
            quoteInQuotes = true;
          }
          continue;
        }
        if (quoteInQuotes && c == '"') {
          inQuotes = true;
          quoteInQuotes = false;
          continue;
        }
        quoteInQuotes = false;
        if (c == '"' && fieldStart) {
          inQuotes = true;
          quoteLine = line;
        }
        fieldStart = c == ',' || c == '\n' || c == '\r';
      }
      return new Reference(line, inQuotes || quoteInQuotes ? quoteLine : 0);
    }
  }
}
