package io.busflow.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What one stretch of requests cost the JVM: its CPU time (every thread: event loops, workers, GC, JIT) and the
 * bytes its live threads allocated, divided by the requests served. Both count work, not waiting, so they hold
 * better than requests/s on a machine shared with other load: W2 measures each side alone (the other side idle),
 * so the stretch's cost is that side's.
 */
final class RequestCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The counters at the start of a stretch. */
  record Start(long cpuNanos, long allocatedBytes) {}

  /** Per request: microseconds of CPU and bytes allocated. */
  record PerRequest(double cpuMicros, double bytes) {
    String describe() {
      return String.format(Locale.ROOT, "%.1f µs CPU, %.1f KB", cpuMicros, bytes / 1024);
    }
  }

  private RequestCost() {}

  static Start start() {
    return new Start(OS.getProcessCpuTime(), allocated());
  }

  /** The cost per request of the {@code requests} served since {@code start}. */
  static PerRequest since(Start start, long requests) {
    long n = Math.max(1, requests);
    return new PerRequest((OS.getProcessCpuTime() - start.cpuNanos) / 1e3 / n,
        (double) (allocated() - start.allocatedBytes) / n);
  }

  private static long allocated() {
    long sum = 0;
    for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }
}
