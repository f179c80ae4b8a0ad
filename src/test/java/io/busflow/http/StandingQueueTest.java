package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CoDel's rule on a clock the test moves: a burst is ridden out, a queue that stands is overloaded. */
class StandingQueueTest {

  private static final long MS = 1_000_000;
  private final StandingQueue queue = new StandingQueue(5 * MS, 100 * MS, 0);

  @Test
  void aStallInAnIntervalWithFastRequests_isABurst_notOverload() {
    queue.finished(0, MS / 3);
    queue.finished(10 * MS, 35 * MS); // waited out a 25 ms stall
    queue.finished(12 * MS, 36 * MS);
    queue.finished(40 * MS, 40 * MS + MS / 3);
    assertFalse(queue.overloaded(100 * MS, 300), "the interval had fast requests, however many waited");
  }

  @Test
  void everyRequestOfAnIntervalSlow_isOverload_untilAnIntervalHasAFastOne() {
    for (long t = 0; t < 100; t += 10) {
      queue.finished(t * MS, (t + 6) * MS);
    }
    assertFalse(queue.overloaded(99 * MS, 200), "not before the interval has ended");
    assertTrue(queue.overloaded(100 * MS, 200), "even the fastest took more than the target");
    queue.finished(110 * MS, 130 * MS);
    assertTrue(queue.overloaded(150 * MS, 10), "still overloaded within the next interval");
    queue.finished(160 * MS, 161 * MS);
    assertFalse(queue.overloaded(200 * MS, 10), "an interval with a fast request ends it");
  }

  @Test
  void anIntervalWithRequestsInFlightAndNoneFinished_isOverload_andAnIdleOneIsNot() {
    assertTrue(queue.overloaded(100 * MS, 3));
    assertFalse(queue.overloaded(200 * MS, 0));
  }

  @Test
  void aTargetOfZero_turnsTheCheckOff() {
    StandingQueue off = new StandingQueue(0, 100 * MS, 0);
    off.finished(0, 1000 * MS);
    assertFalse(off.overloaded(1000 * MS, 1000));
  }
}
