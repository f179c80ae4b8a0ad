package io.busflow.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the threads of a process waited for a core, per window: Linux's per-thread scheduler statistics
 * ({@code /proc/PID/task/TID/schedstat}: time on a core, time runnable but waiting in the run queue). A thread that
 * answers requests and waits in the run queue makes those requests wait, however idle the machine is on average;
 * this tells that apart from time spent in the process's own code. A question mark where the kernel keeps no such
 * statistics.
 */
final class RunQueueWait {

  private final long pid;
  private final String name;
  private Map<Long, long[]> last = Map.of();
  private long lastAt;

  RunQueueWait(long pid, String name) {
    this.pid = pid;
    this.name = name;
  }

  /**
   * Since the last call: the process's threads' summed run-queue wait (in cores) and the three threads that
   * waited longest (ms, with their time on a core in ms).
   */
  String window() {
    Map<Long, long[]> now = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String[] s = Files.readString(t.resolve("schedstat")).trim().split(" ");
          long tid = Long.parseLong(t.getFileName().toString());
          now.put(tid, new long[] {Long.parseLong(s[0]), Long.parseLong(s[1])});
          names.put(tid, Files.readString(t.resolve("comm")).trim());
        } catch (IOException | RuntimeException gone) {
          // the thread ended while being read
        }
      }
    } catch (IOException | RuntimeException e) {
      return name + " run queue ?";
    }
    long at = System.nanoTime();
    Map<Long, long[]> before = last;
    long span = at - lastAt;
    last = now;
    lastAt = at;
    if (before.isEmpty()) {
      return name + " run queue from the next window";
    }
    long waited = 0;
    List<long[]> byThread = new ArrayList<>();
    for (Map.Entry<Long, long[]> e : now.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      long ran = e.getValue()[0] - b[0];
      long wait = e.getValue()[1] - b[1];
      waited += wait;
      byThread.add(new long[] {e.getKey(), wait, ran});
    }
    byThread.sort((x, y) -> Long.compare(y[1], x[1]));
    StringBuilder top = new StringBuilder();
    for (int i = 0; i < Math.min(3, byThread.size()); i++) {
      long[] t = byThread.get(i);
      top.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f ms (ran %.0f)",
          names.get(t[0]), t[1] / 1e6, t[2] / 1e6));
    }
    return String.format(Locale.ROOT, "%s waited for a core %.3f cores: %s", name, waited / (double) span, top);
  }
}
