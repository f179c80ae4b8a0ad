package io.busflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a measured stretch's CPU went, from the process's CPU time (every thread, GC and JIT included) and each
 * live Java thread's. {@link #start} samples the threads every few milliseconds while the stretch runs: a
 * sample interval in which one thread did nearly all the work (≥ 90% of the Java threads' CPU) ran
 * single-threaded, and the share of CPU time spent in such intervals is the part that did not run in parallel
 * — the serial part, which cannot grow with the cores. (One thread's total share alone does not show it: an
 * actor on Vert.x's worker pool runs one message at a time but on whichever worker thread is free.) The
 * busiest single thread over the whole stretch, and its share of the wall time, name a fixed bottleneck such
 * as an event loop (1.0: always on a core).
 */
final class ThreadCpu {

  /** The CPU times at one instant; {@code threads} maps a thread id to its CPU time, {@code names} to its name. */
  record Sample(long wallNanos, long processNanos, Map<Long, Long> threads, Map<Long, String> names) {}

  /**
   * Between two samples: {@code cores} (process CPU over wall), the busiest thread's name, its share of the
   * process's CPU and of the wall time.
   */
  record Usage(double cores, String busiest, double busiestCpuShare, double busiestWallShare,
      double singleThreadedShare) {

    String describe() {
      return String.format(Locale.ROOT, "%.2f cores, %.0f%% of the CPU single-threaded, busiest thread %s"
          + " (on a core %.0f%% of the time)", cores, 100 * singleThreadedShare, busiest, 100 * busiestWallShare);
    }
  }

  /**
   * One stretch between two {@link Sampler#mark}s: its wall and CPU seconds (the process's, every thread), the
   * cores it kept busy, the share of its CPU spent in single-threaded intervals, the seconds the collectors
   * reported (young and old, pauses and concurrent work as each collector counts them), and an estimate of its
   * wall time on this machine's cores with nothing else running: the sum over the sample intervals of the larger
   * of the busiest thread's CPU and the process's CPU over the cores (on a loaded machine the threads wait for a
   * core; this counts only the work and how much of it ran on one thread).
   */
  record Stretch(String name, double wallSeconds, double cpuSeconds, double singleThreadedShare, double gcSeconds,
      double freeCoresSeconds) {

    double cores() {
      return cpuSeconds / Math.max(1e-9, wallSeconds);
    }

    String describe() {
      return String.format(Locale.ROOT, "%s %.2f s wall, %.2f CPU-s, %.2f cores, %.0f%% single-threaded, GC %.2f s,"
          + " %.2f s on free cores", name, wallSeconds, cpuSeconds, cores(), 100 * singleThreadedShare, gcSeconds,
          freeCoresSeconds);
    }
  }

  /** Samples every {@code intervalMs} on a daemon thread until {@link #stop}. */
  static final class Sampler {
    private final Thread thread;
    private final Sample first;
    private volatile boolean running = true;
    private long single;
    private long total;
    private long onFreeCores;
    private final java.util.List<Mark> marks = new java.util.ArrayList<>();

    /** The counters at a {@link #mark}. */
    private record Mark(String name, long wallNanos, long processNanos, long single, long total, long gcNanos,
        long onFreeCores) {}

    private Sampler(long intervalMs) {
      first = sample();
      thread = new Thread(() -> loop(intervalMs), "busflow-bench-cpu-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop(long intervalMs) {
      Sample last = first;
      while (running) {
        try {
          Thread.sleep(intervalMs); // a bench thread of its own, not an event loop
        } catch (InterruptedException e) {
          return;
        }
        Sample now = sample();
        account(last, now);
        last = now;
      }
    }

    private synchronized void account(Sample a, Sample b) {
      long sum = 0;
      long most = 0;
      long self = Thread.currentThread().getId();
      for (var e : b.threads().entrySet()) {
        long used = e.getKey() == self ? 0 : e.getValue() - a.threads().getOrDefault(e.getKey(), 0L);
        sum += used;
        most = Math.max(most, used);
      }
      total += sum;
      onFreeCores += Math.max(most, (b.processNanos() - a.processNanos()) / CORES);
      if (most >= SINGLE * sum) {
        single += sum;
      }
    }

    /** Starts a stretch named {@code name} now (ending the one before); see {@link #stretches}. */
    synchronized void mark(String name) {
      marks.add(now(name));
    }

    private Mark now(String name) {
      return new Mark(name, System.nanoTime(), processNanos(), single, total, gcNanos(), onFreeCores);
    }

    /** The stretches from each {@link #mark} to the next, the last to now; call after {@link #stop}. */
    synchronized java.util.List<Stretch> stretches() {
      java.util.List<Stretch> out = new java.util.ArrayList<>();
      Mark end = now("");
      for (int i = 0; i < marks.size(); i++) {
        Mark a = marks.get(i);
        Mark b = i + 1 < marks.size() ? marks.get(i + 1) : end;
        long sampled = b.total() - a.total();
        out.add(new Stretch(a.name(), (b.wallNanos() - a.wallNanos()) / 1e9, (b.processNanos() - a.processNanos()) / 1e9,
            sampled == 0 ? Double.NaN : (b.single() - a.single()) / (double) sampled, (b.gcNanos() - a.gcNanos()) / 1e9,
            (b.onFreeCores() - a.onFreeCores()) / 1e9));
      }
      return out;
    }

    /** Stops sampling; the usage since {@link #start}. */
    Usage stop() throws InterruptedException {
      running = false;
      thread.join();
      Usage u = between(first, sample());
      return new Usage(u.cores(), u.busiest(), u.busiestCpuShare(), u.busiestWallShare(),
          total == 0 ? Double.NaN : single / (double) total);
    }
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** An interval is single-threaded when its busiest thread did at least this share of the work. */
  static final double SINGLE = 0.9;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  /** Starts sampling every {@code intervalMs}. */
  static Sampler start(long intervalMs) {
    return new Sampler(intervalMs);
  }

  static Sample sample() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    boolean measured = THREADS.isThreadCpuTimeSupported();
    if (measured && !THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
    for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      long t = info == null || !measured ? -1 : THREADS.getThreadCpuTime(info.getThreadId());
      if (t >= 0) {
        cpu.put(info.getThreadId(), t);
        names.put(info.getThreadId(), info.getThreadName().replaceAll("\\s+", "_"));
      }
    }
    return new Sample(System.nanoTime(), processNanos(), cpu, names);
  }

  /** The collection time every collector of the JVM reported so far, in nanoseconds. */
  static long gcNanos() {
    long ms = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms * 1_000_000L;
  }

  /** CPU time of the whole process, every thread (GC and JIT too). */
  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** What ran from {@code a} to {@code b}; a thread started in between counts from zero. */
  static Usage between(Sample a, Sample b) {
    long wall = Math.max(1, b.wallNanos() - a.wallNanos());
    long process = Math.max(1, b.processNanos() - a.processNanos());
    long most = 0;
    String busiest = "none";
    for (var e : b.threads().entrySet()) {
      long used = e.getValue() - a.threads().getOrDefault(e.getKey(), 0L);
      if (used > most) {
        most = used;
        busiest = b.names().get(e.getKey());
      }
    }
    return new Usage(process / (double) wall, busiest, most / (double) process, most / (double) wall, Double.NaN);
  }

  /**
   * The serial fraction Amdahl's law gives for a speed-up {@code speedup} on {@code parallelism} workers:
   * s in speedup = 1 / (s + (1 − s) / parallelism); NaN for one worker. Below 0 the run scaled better than
   * linearly (noise, or caches); above 1 it was slower in parallel than on one worker.
   */
  static double amdahlSerialFraction(double speedup, int parallelism) {
    return parallelism <= 1 ? Double.NaN : (parallelism / speedup - 1) / (parallelism - 1);
  }
}
