package io.busflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the serial fractions that {@code bench w1} and {@code bench scale} print. */
class ThreadCpuTest {

  @Test
  void amdahl_linearSpeedupIsNoSerialPart_noSpeedupIsAllSerial() {
    assertEquals(0.0, ThreadCpu.amdahlSerialFraction(2.0, 2), 1e-12);
    assertEquals(1.0, ThreadCpu.amdahlSerialFraction(1.0, 4), 1e-12);
    // 1 / (0.1 + 0.9 / 8) = 4.7059…
    assertEquals(0.1, ThreadCpu.amdahlSerialFraction(1 / (0.1 + 0.9 / 8), 8), 1e-12);
    assertTrue(Double.isNaN(ThreadCpu.amdahlSerialFraction(1.0, 1)), "one worker says nothing");
  }

  @Test
  void between_namesTheBusiestThread_andItsShares_countingANewThreadFromZero() {
    var a = new ThreadCpu.Sample(0, 0, Map.of(1L, 100L, 2L, 0L), Map.of(1L, "loop", 2L, "worker"));
    var b = new ThreadCpu.Sample(1000, 800, Map.of(1L, 300L, 2L, 100L, 3L, 400L),
        Map.of(1L, "loop", 2L, "worker", 3L, "reader"));
    ThreadCpu.Usage u = ThreadCpu.between(a, b);
    assertEquals("reader", u.busiest());
    assertEquals(0.8, u.cores(), 1e-12);
    assertEquals(0.5, u.busiestCpuShare(), 1e-12);
    assertEquals(0.4, u.busiestWallShare(), 1e-12);
  }

  @Test
  void sampler_seesOneBusyThread_asSingleThreaded() throws Exception {
    ThreadCpu.Sampler s = ThreadCpu.start(5);
    long until = System.nanoTime() + 300_000_000L;
    double x = 0;
    while (System.nanoTime() < until) {
      x += Math.sqrt(x + 1);
    }
    ThreadCpu.Usage u = s.stop();
    assertTrue(x > 0);
    assertTrue(u.singleThreadedShare() > 0.5, "one spinning thread: mostly single-threaded, got " + u);
  }
}
