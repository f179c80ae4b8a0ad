package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * CoDel's signal on a clock the test moves: a burst is ridden out; each interval the queue stands takes a quarter off
 * the limit, down to the floor; each fast one doubles it back.
 */
class StandingQueueTest {

  private static final long MS = 1_000_000;
  private final StandingQueue queue = new StandingQueue(5 * MS, 100 * MS, 1024, 128, 0);

  @Test
  void aStallInAnIntervalWithFastRequests_isABurst_andKeepsTheLimit() {
    queue.finished(0, MS / 3);
    queue.finished(10 * MS, 35 * MS); // waited out a 25 ms stall
    queue.finished(12 * MS, 36 * MS);
    queue.finished(40 * MS, 40 * MS + MS / 3);
    assertEquals(1024, queue.limit(100 * MS, 300), "the interval had fast requests, however many waited");
  }

  @Test
  void eachSlowInterval_takesAQuarterOff_downToTheFloor_andEachFastOneDoublesIt() {
    long t = 0;
    long before = 1024;
    for (long want : new long[] {768, 576, 432, 324, 243, 183, 138, 128, 128}) {
      queue.finished(t, t + 6 * MS); // even the fastest over the 5 ms target
      assertEquals(before, queue.limit(t + 99 * MS, 200), "not before the interval has ended");
      t += 100 * MS;
      assertEquals(want, queue.limit(t, 200));
      before = want;
    }
    queue.finished(t, t + MS);
    t += 100 * MS;
    assertEquals(256, queue.limit(t, 10), "an interval with a fast request doubles it");
    queue.finished(t, t + MS);
    assertEquals(256, queue.limit(t + 50 * MS, 10), "within the interval it stays");
    t += 100 * MS;
    assertEquals(512, queue.limit(t, 10));
    queue.finished(t, t + MS);
    t += 100 * MS;
    assertEquals(1024, queue.limit(t, 10));
    queue.finished(t, t + MS);
    t += 100 * MS;
    assertEquals(1024, queue.limit(t, 10), "never past the most");
  }

  @Test
  void aLongStall_isOneSlowInterval_notOnePerIntervalItLasted() {
    queue.finished(0, 400 * MS); // the only request of 400 ms, slow
    assertEquals(768, queue.limit(400 * MS, 1));
  }

  @Test
  void anIntervalWithRequestsInFlightAndNoneFinished_isSlow_andAnIdleOneIsNot() {
    assertEquals(768, queue.limit(100 * MS, 3));
    assertEquals(1024, queue.limit(200 * MS, 0));
  }

  @Test
  void smallLimits_stillComeDown_andTheFloorIsAtLeastOne() {
    StandingQueue small = new StandingQueue(5 * MS, 100 * MS, 3, 0, 0);
    assertEquals(2, small.limit(100 * MS, 3));
    assertEquals(1, small.limit(200 * MS, 3));
    assertEquals(1, small.limit(300 * MS, 3));
  }

  @Test
  void aTargetOfZero_turnsTheCheckOff() {
    StandingQueue off = new StandingQueue(0, 100 * MS, 1024, 128, 0);
    off.finished(0, 1000 * MS);
    assertEquals(1024, off.limit(1000 * MS, 1000));
  }
}
