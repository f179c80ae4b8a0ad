package io.busflow.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many predict requests the node admits in flight, moved by whether its queue stands. The signal is CoDel's
 * (Nichols and Jacobson, "Controlling Queue Delay", RFC 8289): what matters is not how many requests wait but
 * whether even the <em>fastest</em> request of an interval took longer than a target. A burst — a stall of a
 * few tens of milliseconds, a client opening many requests at once — leaves fast requests in the same interval;
 * a node offered more than it can serve keeps every request slow, interval after interval. An interval in which
 * nothing finished while requests were in flight counts as slow.
 *
 * <p>The answer to a slow interval is gradual, as a congestion window's is: each one takes a quarter off the limit,
 * down to a floor; each interval with a fast request doubles it, up to the most. So one stall of a few hundred
 * milliseconds — seen as one interval, however long it lasts, because intervals are closed by the requests that
 * arrive — and the two or three slow intervals while its backlog drains cost a quarter or two of the limit, where
 * sustained overload reaches the floor within a second and sheds everything above it at the door.
 *
 * <p>Thread-safe: {@link #finished} is called from every HTTP event loop; the interval is closed by whichever
 * caller first sees it end.
 */
final class StandingQueue {

  private final long targetNanos;
  private final long intervalNanos;
  private final long most;
  private final long least;
  private final AtomicLong fastest = new AtomicLong(Long.MAX_VALUE);
  private volatile long intervalStart;
  private volatile long limit;

  /**
   * @param targetNanos   the time a request may take without a queue (at most 0: the limit stays at {@code most})
   * @param intervalNanos how long every request must stay above the target for an interval to count as slow
   * @param most          the limit with no standing queue, and its start
   * @param least         the floor slow intervals take it down to (at least 1, at most {@code most})
   * @param now           the clock's reading now ({@link System#nanoTime()})
   */
  StandingQueue(long targetNanos, long intervalNanos, long most, long least, long now) {
    this.targetNanos = targetNanos;
    this.intervalNanos = intervalNanos;
    this.most = most;
    this.least = Math.max(1, Math.min(least, most));
    this.limit = most;
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
   * The requests to admit in flight now, closing the interval first when it has ended.
   *
   * @param now      the clock's reading now
   * @param inFlight requests admitted and not yet answered
   */
  long limit(long now, long inFlight) {
    if (targetNanos > 0 && now - intervalStart >= intervalNanos) {
      close(now, inFlight);
    }
    return limit;
  }

  /** The limit with no standing queue. */
  long most() {
    return most;
  }

  private synchronized void close(long now, long inFlight) {
    if (now - intervalStart < intervalNanos) {
      return; // another thread closed it
    }
    long min = fastest.getAndSet(Long.MAX_VALUE);
    boolean slow = min == Long.MAX_VALUE ? inFlight > 0 : min > targetNanos;
    long was = limit;
    limit = slow ? Math.max(least, Math.min(was - 1, was - was / 4)) : Math.min(most, 2 * was);
    intervalStart = now;
  }
}
