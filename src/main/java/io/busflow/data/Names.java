package io.busflow.data;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/** Help for messages that name something the user spelled: the nearest name that exists. */
public final class Names {

  private Names() {}

  /**
   * "; did you mean 'x'?" for the name of {@code allowed} closest to {@code name} (case ignored) when it is a likely
   * typo — fewer than three edits away — else "". Ties go to the first in sorted order.
   */
  public static String hint(String name, Collection<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String a : new TreeSet<>(allowed)) {
      int d = distance(name.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
