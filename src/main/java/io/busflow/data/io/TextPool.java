package io.busflow.data.io;

/**
 * The strings of one text column, each value made once while the column keeps repeating its values (levels
 * such as country codes, a 0/1 label): a field whose characters equal a value met recently gets that value's
 * string instead of a new one, so such a column costs no allocation per row, and its strings keep their cached
 * hash codes for the one-hot encoder's lookups. A column whose values do not repeat (ids) is noticed within
 * {@value #WINDOW} values and then gets a new string per field, as without a pool.
 *
 * <p>Memory: at most {@value #SLOTS} strings of at most {@value #MAX_CHARS} characters per column.
 */
final class TextPool {

  /** Values of this many characters or fewer are pooled. */
  static final int MAX_CHARS = 32;
  static final int SLOTS = 256;
  /** Pooling stops when more than half of the lookups in one window of this many values missed. */
  static final int WINDOW = 4096;

  private final String[] slots = new String[SLOTS];
  private int lookups;
  private int misses;
  private boolean pooling = true;

  /** The text of {@code len} characters of {@code buf} from {@code offset}. */
  String of(char[] buf, int offset, int len) {
    if (!pooling || len > MAX_CHARS) {
      return new String(buf, offset, len);
    }
    int slot = slot(buf, offset, len);
    String s = slots[slot];
    if (s == null || !equal(s, buf, offset, len)) {
      s = new String(buf, offset, len);
      slots[slot] = s;
      misses++;
    }
    if (++lookups == WINDOW) {
      pooling = misses <= WINDOW / 2;
      lookups = 0;
      misses = 0;
    }
    return s;
  }

  /** Whether the pool still looks values up; false once a window of its column's values mostly missed. */
  boolean pooling() {
    return pooling;
  }

  /**
   * The slot of a value, from its length and its first and last characters only: cheaper than a hash of every
   * character, and levels rarely share all three (a shared slot costs a new string, never a wrong one).
   */
  private static int slot(char[] buf, int offset, int len) {
    if (len == 0) {
      return 0;
    }
    int h = (len * 31 + buf[offset]) * 31 + buf[offset + len - 1];
    return (h ^ (h >>> 8)) & (SLOTS - 1);
  }

  private static boolean equal(String s, char[] buf, int offset, int len) {
    if (s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != buf[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
