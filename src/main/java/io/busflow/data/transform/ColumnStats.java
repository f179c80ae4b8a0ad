package io.busflow.data.transform;

import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One-pass statistics of one column over a stream of batches, ignoring missing values: count, mean and
 * sum of squared deviations (merged batch by batch with Chan's formula, numerically stable), min, max,
 * the number of missing values, and on request every value (for the median: 8 bytes a row) or the count
 * of each distinct value (for the most frequent value and for levels). Boolean columns count as 1/0.
 */
final class ColumnStats {

  /** The most distinct text values (levels) counted per column by default. */
  static final int DEFAULT_MAX_LEVELS = 10_000;
  /** The longest text value (level) counted by default. */
  static final int DEFAULT_MAX_LEVEL_CHARS = 1024;

  final String column;
  private int maxLevels = DEFAULT_MAX_LEVELS;
  private int maxLevelChars = DEFAULT_MAX_LEVEL_CHARS;
  private String place = "";
  private Boolean numeric;
  private final boolean keepValues;
  private final boolean countValues;
  long n;
  double mean;
  double m2;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  long missing;
  private double[] values = new double[0];
  private int valueCount;
  private final Map<Object, long[]> counts = new HashMap<>();
  /** The first distinct numbers counted and their counts in {@link #counts} ({@link #counter}). */
  private final long[] recentBits = new long[8];
  private final long[][] recentCounts = new long[8][];
  private int recent;

  /**
   * An estimate of the bytes held that grow with the rows: the values kept (8 bytes each, as allocated) and about
   * 96 bytes per distinct value counted (a map entry, its key and its count). Read racily from other threads: an
   * estimate for a memory bound, not an exact figure.
   */
  long keptBytes() {
    return 8L * values.length + 96L * counts.size();
  }

  ColumnStats(String column, boolean keepValues, boolean countValues) {
    this.column = column;
    this.keepValues = keepValues;
    this.countValues = countValues;
  }

  boolean isNumeric() {
    return numeric == null || numeric;
  }

  void accept(Column c) {
    if (c instanceof StringColumn s) {
      requireKind(false, c);
      acceptStrings(s.values());
    } else {
      requireKind(true, c);
      acceptDoubles(Columns.doubles(c));
    }
  }

  private void requireKind(boolean isNumeric, Column c) {
    if (numeric != null && numeric != isNumeric) {
      throw new IllegalArgumentException("column '" + column + "' changed type between batches: now "
          + c.type() + "; every batch of a stream must have the same column types");
    }
    numeric = isNumeric;
  }

  /** Bounds the text values counted: {@code maxLevels} distinct ones of at most {@code maxLevelChars} each. */
  void limitLevels(int maxLevels, int maxLevelChars, String place) {
    this.maxLevels = maxLevels;
    this.maxLevelChars = maxLevelChars;
    this.place = place;
  }

  private void acceptStrings(String[] v) {
    for (String s : v) {
      if (s == null) {
        missing++;
      } else if (countValues) {
        level(s)[0]++;
        n++;
      } else {
        n++;
      }
    }
  }

  private long[] level(String s) {
    long[] c = counts.get(s);
    if (c != null) {
      return c;
    }
    if (s.length() > maxLevelChars) {
      throw new IllegalArgumentException(place + ": column '" + column + "' holds a value of " + s.length()
          + " characters ('" + s.substring(0, Math.min(20, s.length())) + "…'), longer than the limit of " + maxLevelChars
          + " for a category level (maxLevelChars); clean the column, or raise the step's maxLevelChars");
    }
    if (counts.size() >= maxLevels) {
      throw new IllegalArgumentException(place + ": column '" + column + "' has more than " + maxLevels
          + " distinct values, the limit for category levels (maxLevels); is it an id or free text? Leave it out "
          + "of this step, or raise the step's maxLevels");
    }
    c = new long[1];
    counts.put(s, c);
    return c;
  }

  private void acceptDoubles(double[] v) {
    long bn = 0;
    double sum = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        bn++;
        sum += x;
      }
    }
    missing += v.length - bn;
    if (bn == 0) {
      return;
    }
    double bMean = sum / bn;
    double bM2 = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        bM2 += (x - bMean) * (x - bMean);
        min = Math.min(min, x);
        max = Math.max(max, x);
        remember(x, 1);
      }
    }
    merge(bn, bMean, bM2);
  }

  /**
   * Takes in {@code later}, the statistics of the same column over rows that come after this one's: counts
   * and levels added (the level limits checked on the union), values appended, mean and sum of squared
   * deviations by Chan's formula.
   */
  void merge(ColumnStats later) {
    if (later.numeric != null) {
      if (numeric != null && !numeric.equals(later.numeric)) {
        throw new IllegalArgumentException("column '" + column + "' has a different type in different parts of "
            + "the data (" + (numeric ? "numeric" : "text") + " and " + (later.numeric ? "numeric" : "text")
            + "); every batch of a stream must have the same column types");
      }
      numeric = later.numeric;
    }
    missing += later.missing;
    if (isNumeric()) {
      min = Math.min(min, later.min);
      max = Math.max(max, later.max);
      if (later.n > 0) {
        merge(later.n, later.mean, later.m2);
      }
    } else {
      n += later.n;
    }
    if (later.valueCount > 0) {
      values = Arrays.copyOf(values, valueCount + later.valueCount);
      System.arraycopy(later.values, 0, values, valueCount, later.valueCount);
      valueCount += later.valueCount;
    }
    for (Map.Entry<Object, long[]> e : later.counts.entrySet()) {
      long[] c = e.getKey() instanceof String t ? level(t) : counts.computeIfAbsent(e.getKey(), k -> new long[1]);
      c[0] += e.getValue()[0];
    }
  }

  private void merge(long bn, double bMean, double bM2) {
    long total = n + bn;
    double delta = bMean - mean;
    mean += delta * bn / total;
    m2 += bM2 + delta * delta * ((double) n * bn / total);
    n = total;
  }

  private void remember(double x, long times) {
    if (keepValues) {
      for (long t = 0; t < times; t++) {
        if (valueCount == values.length) {
          values = Arrays.copyOf(values, Math.max(16, values.length * 2));
        }
        values[valueCount++] = x;
      }
    }
    if (countValues) {
      counter(x)[0] += times;
    }
  }

  /**
   * The count of number {@code x} in {@link #counts}: found among the last few distinct numbers by their bits
   * (as {@link Double#equals}, the map's), so that a column of a few values (a label, a code) is counted without
   * boxing and hashing each row; the map holds the same arrays.
   */
  private long[] counter(double x) {
    long bits = Double.doubleToLongBits(x);
    for (int k = 0; k < recent; k++) {
      if (recentBits[k] == bits) {
        return recentCounts[k];
      }
    }
    long[] c = counts.computeIfAbsent(x, k -> new long[1]);
    if (recent < recentBits.length) {
      recentBits[recent] = bits;
      recentCounts[recent++] = c;
    }
    return c;
  }

  /** These statistics as if every missing value had been {@code fill} (an upstream imputer's value). */
  void fillMissing(Object fill) {
    if (missing == 0 || fill == null) {
      return;
    }
    long k = missing;
    missing = 0;
    if (!isNumeric()) {
      counts.computeIfAbsent(fill, x -> new long[1])[0] += k;
      n += k;
      return;
    }
    double c = ((Number) fill).doubleValue();
    merge(k, c, 0);
    min = Math.min(min, c);
    max = Math.max(max, c);
    remember(c, k);
  }

  /** Population variance (divisor n), as scikit-learn's StandardScaler. */
  double variance() {
    return n == 0 ? Double.NaN : m2 / n;
  }

  /** The median of the non-missing values (the mean of the middle two for an even count), as numpy. */
  double median() {
    return Medians.of(Arrays.copyOf(values, valueCount));
  }

  /** The most frequent value; among ties the smallest, as scikit-learn's SimpleImputer. */
  Object mostFrequent() {
    Object best = null;
    long bestCount = -1;
    for (Map.Entry<Object, long[]> e : counts.entrySet()) {
      long c = e.getValue()[0];
      if (c > bestCount || (c == bestCount && compare(e.getKey(), best) < 0)) {
        best = e.getKey();
        bestCount = c;
      }
    }
    return best;
  }

  /** Distinct non-missing values sorted ascending: numbers numerically, text by code unit. */
  List<Object> sortedDistinct() {
    List<Object> out = new ArrayList<>(counts.keySet());
    out.sort(ColumnStats::compare);
    return out;
  }

  static final Comparator<Object> ORDER = ColumnStats::compare;

  static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    return ((String) a).compareTo((String) b);
  }

  static ColumnStats of(String column, boolean keepValues, boolean countValues) {
    return new ColumnStats(column, keepValues, countValues);
  }

  static boolean isNumericColumn(Column c) {
    return c instanceof NumericColumn || c instanceof BooleanColumn;
  }
}
