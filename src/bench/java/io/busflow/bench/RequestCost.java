package io.busflow.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What one stretch of requests cost the JVM: its CPU time (every thread: event loops, workers, GC, JIT) and the
 * bytes its live threads allocated, divided by the requests served. Both count work, not waiting, so they hold
 * better than requests/s on a machine shared with other load: W2 measures each side alone (the other side idle),
 * so the stretch's cost is that side's. What the JVM spends with no request at all, measured just before, is taken
 * off (at a few hundred requests/s it would otherwise count as a large part of each request).
 */
final class RequestCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The counters at the start of a stretch, and the JVM's background per second (timers, sweeps) to take off. */
  record Start(long wallNanos, long cpuNanos, long allocatedBytes, double idleCpuPerSecond,
      double idleBytesPerSecond) {}

  /** Per request: microseconds of CPU and bytes allocated. */
  record PerRequest(double cpuMicros, double bytes) {
    String describe() {
      return String.format(Locale.ROOT, "%.1f µs CPU, %.1f KB", cpuMicros, bytes / 1024);
    }
  }

  private RequestCost() {}

  /**
   * Starts a stretch after {@code idleMs} of nothing asked of the JVM, whose CPU and allocations (its timers and
   * sweeps, GC and JIT catching up) are taken off the stretch's in proportion to its length.
   */
  static Start start(long idleMs) throws InterruptedException {
    long w0 = System.nanoTime();
    long c0 = OS.getProcessCpuTime();
    long a0 = allocated();
    Thread.sleep(idleMs); // the bench's main thread, not an event loop
    double s = Math.max(1e-9, (System.nanoTime() - w0) / 1e9);
    double idleCpu = (OS.getProcessCpuTime() - c0) / s;
    double idleBytes = (allocated() - a0) / s;
    return new Start(System.nanoTime(), OS.getProcessCpuTime(), allocated(), idleCpu, idleBytes);
  }

  /** The cost per request of the {@code requests} served since {@code start}, less the background. */
  static PerRequest since(Start start, long requests) {
    long n = Math.max(1, requests);
    double s = (System.nanoTime() - start.wallNanos) / 1e9;
    double cpu = OS.getProcessCpuTime() - start.cpuNanos - start.idleCpuPerSecond * s;
    double bytes = allocated() - start.allocatedBytes - start.idleBytesPerSecond * s;
    return new PerRequest(Math.max(0, cpu) / 1e3 / n, Math.max(0, bytes) / n);
  }

  private static long allocated() {
    long sum = 0;
    for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }
}
