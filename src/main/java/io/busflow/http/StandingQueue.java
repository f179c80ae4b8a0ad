package io.busflow.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a standing queue from a burst, the way CoDel does (Nichols and Jacobson, "Controlling Queue Delay",
 * RFC 8289): what matters is not how many requests wait but whether even the <em>fastest</em> request of an
 * interval took longer than a target. A burst — a stall of a few tens of milliseconds, a client opening many
 * requests at once — leaves fast requests in the same interval and is ridden out; a node offered more than it
 * can serve keeps every request slow, interval after interval, and is {@linkplain #overloaded() overloaded}
 * until an interval has a fast one again. An interval in which nothing finished while requests were in flight
 * counts as slow.
 *
 * <p>Thread-safe: {@link #finished} is called from every HTTP event loop; the interval is closed by whichever
 * caller first sees it end.
 */
final class StandingQueue {

  private final long targetNanos;
  private final long intervalNanos;
  private final AtomicLong fastest = new AtomicLong(Long.MAX_VALUE);
  private volatile long intervalStart;
  private volatile boolean overloaded;

  /**
   * @param targetNanos   the time a request may take without a queue (at most 0: never overloaded)
   * @param intervalNanos how long every request must stay above the target before the queue counts as standing
   * @param now           the clock's reading now ({@link System#nanoTime()})
   */
  StandingQueue(long targetNanos, long intervalNanos, long now) {
    this.targetNanos = targetNanos;
    this.intervalNanos = intervalNanos;
    this.intervalStart = now;
  }

  /** A request admitted at {@code admitted} was answered at {@code now}. */
  void finished(long admitted, long now) {
    long took = now - admitted;
    if (took < fastest.get()) {
      fastest.accumulateAndGet(took, Math::min);
    }
  }

  /**
   * Whether the node has a standing queue, closing the interval first when it has ended.
   *
   * @param now      the clock's reading now
   * @param inFlight requests admitted and not yet answered
   */
  boolean overloaded(long now, long inFlight) {
    if (targetNanos > 0 && now - intervalStart >= intervalNanos) {
      close(now, inFlight);
    }
    return overloaded;
  }

  private synchronized void close(long now, long inFlight) {
    if (now - intervalStart < intervalNanos) {
      return; // another thread closed it
    }
    long min = fastest.getAndSet(Long.MAX_VALUE);
    overloaded = min == Long.MAX_VALUE ? inFlight > 0 : min > targetNanos;
    intervalStart = now;
  }
}
