package io.busflow.http;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A hiccup meter, the idea of Gil Tene's jHiccup: a thread that asks to sleep 1 ms, again and again, and records
 * how much later than asked it woke. It does no work, so whatever delays it — the machine's scheduler, another
 * process on the cores, the hypervisor, this JVM's safepoints — delays everything else in this process too.
 * Beside the soak's latencies it tells a stall of the node from a stall of the machine or of the load generator.
 */
final class Hiccups implements AutoCloseable {

  private static final long SLEEP_NANOS = 1_000_000;

  private final AtomicLong max = new AtomicLong();
  private final AtomicLong over10ms = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  Hiccups() {
    thread = new Thread(this::run, "hiccup-meter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long before = System.nanoTime();
      LockSupport.parkNanos(SLEEP_NANOS);
      long late = System.nanoTime() - before - SLEEP_NANOS;
      if (late > 0) {
        max.accumulateAndGet(late, Math::max);
        total.addAndGet(late);
        if (late > 10_000_000) {
          over10ms.incrementAndGet();
        }
      }
    }
  }

  /** The hiccups since the last call: the longest, how many passed 10 ms, and their sum. */
  String window() {
    return String.format(Locale.ROOT, "hiccups: max %.1f ms, %d over 10 ms, %.0f ms in all",
        max.getAndSet(0) / 1e6, over10ms.getAndSet(0), total.getAndSet(0) / 1e6);
  }

  @Override
  public void close() {
    running = false;
  }
}
