package io.busflow.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text gathered as UTF-8 bytes before it is written: what the CSV writer assembles its rows in, so that a row's
 * characters are encoded once, as they are appended, rather than copied from a {@link StringBuilder} into a
 * {@link java.io.Writer} and encoded there. The bytes are those {@link String#getBytes} gives (an unpaired
 * surrogate becomes {@code ?}, as with the JDK's encoder); numbers are written as {@link Long#toString} and
 * {@link FixedDecimals} write them, without a string in between.
 */
final class Utf8Buffer {

  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes;
  private int size;

  Utf8Buffer(int capacity) {
    bytes = new byte[capacity];
  }

  /** How many bytes are gathered. */
  int size() {
    return size;
  }

  /** Appends an ASCII character ({@code c < 0x80}). */
  void ascii(char c) {
    room(1);
    bytes[size++] = (byte) c;
  }

  /** Appends {@code text} encoded as UTF-8. */
  void text(String text) {
    int n = text.length();
    room(n);
    int at = size;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return;
      }
      bytes[at++] = (byte) c;
    }
    size = at;
  }

  /**
   * Appends {@code text} as {@link #text} does, unless it holds {@code delimiter}, a quote, CR or LF: then appends
   * nothing and returns false (a CSV field that must be quoted). One pass over the characters.
   */
  boolean plainField(String text, char delimiter) {
    int n = text.length();
    room(n);
    int at = size;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (mustQuote(c, delimiter)) {
        return false;
      }
      if (c >= 0x80) {
        return plainUnicode(text, i, delimiter);
      }
      bytes[at++] = (byte) c;
    }
    size = at;
    return true;
  }

  private boolean plainUnicode(String text, int from, char delimiter) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (mustQuote(c, delimiter)) {
        return false;
      }
    }
    text(text);
    return true;
  }

  /** Whether a CSV field holding {@code c} must be quoted. */
  private static boolean mustQuote(char c, char delimiter) {
    return c == delimiter || c == '"' || c == '\n' || c == '\r';
  }

  /** Appends {@code v} in decimal, as {@link Long#toString(long)} writes it. */
  void digits(long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        text(Long.toString(v));
        return;
      }
      ascii('-');
      v = -v;
    }
    if (v < 10) {
      ascii((char) ('0' + v));
      return;
    }
    int n = length(v);
    room(n);
    fill(v, size + n);
    size += n;
  }

  /** Appends {@code v ≥ 0} in decimal with at least {@code width} digits, zeros first. */
  void digits(long v, int width) {
    int n = Math.max(width, length(v));
    room(n);
    int end = size + n;
    int start = fill(v, end);
    Arrays.fill(bytes, size, start, (byte) '0');
    size = end;
  }

  /** Writes the gathered bytes to {@code out} and empties the buffer. */
  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
    size = 0;
  }

  /** The decimal digits of {@code v ≥ 0}, ending before {@code end}; the index of the first. */
  private int fill(long v, int end) {
    int at = end;
    while (v >= 100) {
      int pair = (int) (v % 100) * 2;
      v /= 100;
      bytes[--at] = DIGIT_PAIRS[pair + 1];
      bytes[--at] = DIGIT_PAIRS[pair];
    }
    if (v >= 10) {
      bytes[--at] = DIGIT_PAIRS[(int) v * 2 + 1];
      bytes[--at] = DIGIT_PAIRS[(int) v * 2];
    } else {
      bytes[--at] = (byte) ('0' + v);
    }
    return at;
  }

  /** How many decimal digits {@code v ≥ 0} has. */
  private static int length(long v) {
    long p = 10;
    for (int n = 1; n < 19; n++) {
      if (v < p) {
        return n;
      }
      p *= 10;
    }
    return 19;
  }

  private void room(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
