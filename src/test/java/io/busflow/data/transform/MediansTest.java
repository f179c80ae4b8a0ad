package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Medians#of} gives the bits of a sort's middle (or mean of the middle two): odd and even counts, runs of
 * equal values, sorted and reversed input, infinities, and zeros of both signs.
 */
class MediansTest {

  @Test
  void median_hasTheBitsOfTheSortedMiddle() {
    Random r = new Random(11);
    for (int t = 0; t < 3000; t++) {
      int n = 1 + r.nextInt(t < 2500 ? 40 : 5000);
      double[] v = new double[n];
      int kinds = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        v[i] = switch (r.nextInt(kinds)) {
          case 0 -> 0.0;
          case 1 -> -0.0;
          case 2 -> r.nextInt(3) - 1;
          case 3 -> Double.POSITIVE_INFINITY;
          case 4 -> Double.NEGATIVE_INFINITY;
          default -> r.nextGaussian() * 1e3;
        };
      }
      if (t % 7 == 0) {
        Arrays.sort(v);
      } else if (t % 7 == 1) {
        Arrays.sort(v);
        for (int i = 0; i < n / 2; i++) {
          double x = v[i];
          v[i] = v[n - 1 - i];
          v[n - 1 - i] = x;
        }
      }
      double want = sortedMedian(v.clone());
      double got = Medians.of(v.clone());
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
          "n=" + n + ": " + want + " vs " + got);
    }
  }

  private static double sortedMedian(double[] v) {
    Arrays.sort(v);
    int h = v.length / 2;
    return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
  }
}
