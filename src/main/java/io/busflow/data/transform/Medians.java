package io.busflow.data.transform;

import java.util.Arrays;

/**
 * The median of numbers without sorting them: a selection (quickselect, falling back to a sort of what is left
 * when the pivots go badly) takes linear time where a sort of a column of millions takes seconds. Its result
 * has the bits of the sort's: −0.0 counts as below 0.0, as {@link Arrays#sort(double[])} orders them.
 */
final class Medians {

  private Medians() {}

  /**
   * The median of {@code v} (no NaN): the middle value, or the mean of the middle two for an even count — as
   * {@code Arrays.sort} and then the middle would give; reorders {@code v}.
   */
  static double of(double[] v) {
    int h = v.length / 2;
    select(v, h);
    double upper = v[h];
    if (v.length % 2 == 1) {
      return signed(v, h, upper);
    }
    double lower = v[0];
    for (int i = 1; i < h; i++) {
      lower = Math.max(lower, v[i]);
    }
    return (signed(v, h - 1, lower) + signed(v, h, upper)) / 2;
  }

  /**
   * {@code x}, the value at {@code rank} in sorted order, with the sign a zero has there: the sort puts every
   * −0.0 before every 0.0, the selection does not tell them apart.
   */
  private static double signed(double[] v, int rank, double x) {
    if (x != 0.0) {
      return x;
    }
    int below = 0;
    int negativeZeros = 0;
    for (double y : v) {
      if (y < 0) {
        below++;
      } else if (y == 0.0 && Double.doubleToRawLongBits(y) != 0L) {
        negativeZeros++;
      }
    }
    return rank < below + negativeZeros ? -0.0 : 0.0;
  }

  /**
   * Reorders {@code v} so that {@code v[k]} holds the value of rank {@code k} (up to the sign of a zero), the
   * values before it are no larger and those after no smaller.
   */
  static void select(double[] v, int k) {
    int lo = 0;
    int hi = v.length - 1;
    int budget = 2 * (64 - Long.numberOfLeadingZeros(v.length)) + 8;
    while (hi > lo) {
      if (budget-- == 0) {
        Arrays.sort(v, lo, hi + 1);
        return;
      }
      double pivot = medianOfThree(v[lo], v[lo + (hi - lo) / 2], v[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (v[i] < pivot) {
          i++;
        }
        while (v[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = v[i];
          v[i] = v[j];
          v[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  private static double medianOfThree(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
