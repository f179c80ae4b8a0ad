package io.busflow.data.io;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The texts a source uses for a missing value besides the empty field ({@link ReadOptions#withMissing}), such
 * as {@code NA}, {@code ?} or {@code -999}: matched exactly, case and spaces included, in every column.
 */
final class MissingTokens {

  static final MissingTokens NONE = new MissingTokens(List.of());

  private final String[] tokens;
  private final Set<String> set;

  private MissingTokens(List<String> tokens) {
    this.set = new LinkedHashSet<>(tokens);
    this.tokens = set.toArray(String[]::new);
  }

  static MissingTokens of(List<String> tokens) {
    return tokens.isEmpty() ? NONE : new MissingTokens(tokens);
  }

  /** Whether {@code text} is one of the tokens (an empty field is missing anyway, and is not asked about). */
  boolean matches(String text) {
    return tokens.length != 0 && text != null && set.contains(text);
  }

  /** {@link #matches(String)} over {@code len} characters of a buffer, without a string. */
  boolean matches(char[] buf, int offset, int len) {
    for (String t : tokens) {
      if (t.length() == len && same(t, buf, offset)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(String t, char[] buf, int offset) {
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) != buf[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
