package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.JarNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The W2 soak ({@code ./run.sh test-long}): a node from the built jar on {@code -Xmx512m} with the shipped
 * configuration trains the demo pipeline and serves W2's single-record predict request. The test measures the
 * peak throughput on this machine (a closed-loop ramp), then sends open-loop load (fixed arrival rate, latency
 * from the intended send time) at half the peak for {@code soak.seconds} (default 600) in 10 s windows: every
 * answer 200, p99 under 50 ms and the heap after GC flat (within 50 MB of the first window's) in every window,
 * and the live heap after a full GC within 50 MB of before; then twice the peak for {@code soak.overloadSeconds}
 * (default 60): every answer 200 or 503 {@code MAILBOX_FULL} with {@code Retry-After}, each 503 within 100 ms of
 * its request being written, no other status, no connection error; then a window at half the peak again,
 * fully served. The 503 bound is taken from the write, not the intended send time: the load generator shares
 * the machine's cores with the node, and at twice the peak it cannot keep its schedule (requests wait for a
 * connection here, seconds by the end); the node's part, answering what reaches it, is what shedding at once
 * means. One line per window is printed (rate, latencies, 503s, heap, GC pauses, load average, cores), and under it
 * how long the node's and this JVM's threads waited for a core ({@link RunQueueWait}) and the node's own view of
 * the window from its {@code /metrics} ({@link NodeSeries}: time in the HTTP server, in the worker queue
 * and in the actors — the Vert.x series when the node runs busflow's launcher, {@code
 * -Djarnode.main=io.busflow.Launcher}), so the run's log is its record. Last, the same schedule on W2's bare
 * route in a process of its own, as a reference ({@link #baseline}). To give the node and the load generator
 * cores of their own: {@code taskset -c 1 mvn … -Djarnode.cpus=0} (BENCHMARKS.md, "The soak on cores of its
 * own"). Blocking test code (its own JVM drives another process): plain JUnit.
 */
@Tag("long")
class PredictSoakLongTest {

  /** A G1 log line's occupancy before and after a pause, and the pause: {@code 150M->21M(512M) 3.456ms}. */
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\) ([0-9.]+)ms");
  private static final String PATH = "/api/v1/pipelines/churn-demo/predict";
  private static final Pattern BARE_PORT = Pattern.compile("(?m)^port (\\d+)$");
  private static final double WINDOW_S = 10;
  private static final double P99_MS = 50;
  private static final double SHED_MS = 100;
  private static final long FLAT_MB = 50;
  /**
   * The load generator's connections: four times what the node admits while its queue stands (an eighth of
   * {@code http.limits.predictRequestsInFlight}, 1024 by default), so that overload reaches the node rather
   * than a queue here, and half the hard bound, so that a stall's burst is queued, not shed.
   */
  private static final int CONNECTIONS = 512;

  @TempDir
  Path dir;
  private JarNode node;
  private Path gcLog;
  private long gcLogRead;
  private int pauses;
  private double maxPauseMs;
  /** Where the machine's CPU went since the last window's line: see {@link #cpuNote()}. */
  private long[] lastCpu;
  /** The node's own view of each window: its /metrics, read between windows. */
  private NodeSeries series;
  /** How late a sleeping thread of this JVM wakes, per window: the machine's and this process's stalls. */
  private final Hiccups hiccups = new Hiccups();
  /** How long the node's threads and this JVM's waited for a core, per window. */
  private RunQueueWait nodeWait;
  private final RunQueueWait generatorWait = new RunQueueWait(ProcessHandle.current().pid(), "generator");

  @AfterEach
  void stop() {
    hiccups.close();
    if (node != null) {
      node.close();
      String keep = System.getProperty("soak.keepNodeLog"); // diagnostics: keep the node log (-XX:+PrintCompilation)
      if (keep != null) {
        try {
          Files.copy(node.log(), Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void halfThePeakForTenMinutes_thenTwiceThePeak_isServedOrShedFast_andServedFullyAfter() throws Exception {
    long soakSeconds = Long.getLong("soak.seconds", 600);
    long overloadSeconds = Long.getLong("soak.overloadSeconds", 60);
    gcLog = dir.resolve("gc.log");
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Xlog:gc:file=" + gcLog));
    String extra = System.getProperty("soak.nodeJvm", ""); // diagnostics, e.g. a flight recording of the node
    if (!extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    int httpInstances = Integer.getInteger("soak.httpInstances", 1); // diagnostics: more HTTP event loops
    node = JarNode.start(dir, jvm, false, conf -> conf.getJsonObject("http").put("instances", httpInstances));
    node.trainDemo(); // W2's model: the demo pipeline trained on data/churn-20000.csv
    series = new NodeSeries(node);
    nodeWait = new RunQueueWait(node.process().pid(), "node");
    String body = new JsonObject().put("records", new JsonArray().add(w2Record())).encode();
    try (PredictLoad load = new PredictLoad(node.port(), PATH, body, CONNECTIONS)) {
      load.closed(16, 15); // the JIT's warm-up
      long liveBefore = liveHeapMb();
      double peak = peak(load);
      String fixed = System.getProperty("soak.rate"); // diagnostics: a fixed rate, to compare builds at one load
      double half = fixed != null ? Double.parseDouble(fixed) : peak / 2;
      System.out.printf("soak: %.0f req/s (%s) for %d s in %.0f s windows; live heap before %d MB%n",
          half, fixed != null ? "soak.rate" : "half the peak", soakSeconds, WINDOW_S, liveBefore);
      List<String> bad = new ArrayList<>();
      long firstHeap = -1;
      for (int i = 0; i < Math.max(1, soakSeconds / WINDOW_S); i++) {
        PredictLoad.Window w = load.open(half, WINDOW_S);
        long heap = heapAfterGcMb();
        firstHeap = firstHeap < 0 ? heap : firstHeap;
        String line = print("soak " + (i + 1), w, heap);
        heap = heap < 0 ? firstHeap : heap;
        if (!servedFully(w) || heap > firstHeap + FLAT_MB) {
          bad.add(line);
        }
      }
      long liveAfter = liveHeapMb();
      System.out.printf("soak: live heap after %d MB (before %d MB)%n", liveAfter, liveBefore);

      System.out.printf("overload: %.0f req/s (twice the peak) for %d s%n", 2 * peak, overloadSeconds);
      List<String> badOverload = new ArrayList<>();
      for (int i = 0; i < Math.max(1, overloadSeconds / WINDOW_S); i++) {
        PredictLoad.Window w = load.open(2 * peak, WINDOW_S);
        String line = print("overload " + (i + 1), w, heapAfterGcMb());
        if (!w.other.isEmpty() || w.errors > 0 || w.closed > 0 || w.badShed > 0 || w.shedSent.maxMs() >= SHED_MS) {
          badOverload.add(line);
        }
      }
      PredictLoad.Window after = load.open(half, WINDOW_S);
      String afterLine = print("after", after, heapAfterGcMb());
      baseline(half, body);

      assertTrue(bad.isEmpty(), "soak windows not fully served (every answer 200, p99 < " + P99_MS + " ms) or with "
          + "the heap after GC more than " + FLAT_MB + " MB over the first window's (" + firstHeap + " MB):\n"
          + String.join("\n", bad) + tail());
      assertTrue(liveAfter <= liveBefore + FLAT_MB, "live heap after the soak " + liveAfter + " MB, before "
          + liveBefore + " MB" + tail());
      assertTrue(badOverload.isEmpty(), "overload windows with an answer other than 200 or 503 MAILBOX_FULL with "
          + "Retry-After, a connection error, or a 503 taking " + SHED_MS + " ms or more:\n"
          + String.join("\n", badOverload) + tail());
      assertTrue(servedFully(after), "not fully served right after the overload: " + afterLine + tail());
    }
  }

  /**
   * The same open load on W2's baseline — a bare vertx-web route scoring inline on its event loop ({@code
   * W2Bare}), in a process of its own started as the node is (its CPUs too), with the model the node trained — at
   * the soak's rate for {@code soak.baselineSeconds} (default 60; 0 for none): what this machine gives one plain
   * handler under the same schedule, printed under busflow's windows and not asserted (a reference for reading
   * them, as the benchmarks' baselines are).
   */
  private void baseline(double rate, String body) throws Exception {
    long seconds = Long.getLong("soak.baselineSeconds", 60);
    if (seconds <= 0) {
      return;
    }
    Path states = dir.resolve("out");
    List<String> cmd = JarNode.java();
    cmd.addAll(List.of("-Xmx512m", "-XX:+UseG1GC", "-Djava.net.preferIPv4Stack=true", "-cp", JarNode.classPath(),
        "io.busflow.bench.W2Bare", "churn-demo", states.resolve("churn-demo.preprocessor.json").toString(),
        states.resolve("churn-demo.model.json").toString()));
    Path log = dir.resolve("baseline.log");
    Process bare = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Matcher port = BARE_PORT.matcher(JarNode.awaitLog(bare, log, t -> BARE_PORT.matcher(t).find(), "the baseline"));
    port.find();
    try (PredictLoad load = new PredictLoad(Integer.parseInt(port.group(1)), "/predict", body, CONNECTIONS)) {
      load.closed(16, 15); // the JIT's warm-up, as the node had
      System.out.printf("baseline: a bare vertx-web route (W2Bare) at %.0f req/s for %d s%n", rate, seconds);
      for (int i = 0; i < Math.max(1, seconds / WINDOW_S); i++) {
        long cpu = cpuTicks(bare.pid());
        long start = System.nanoTime();
        PredictLoad.Window w = load.open(rate, WINDOW_S);
        System.out.printf(Locale.ROOT, "baseline %-2d %6.0f/s  200: %7d p50 %6.2f p99 %7.2f max %8.2f ms  other %s errors %d"
            + " closed %d  cores %.2f%n", i + 1, w.rate(), w.ok.size(), w.ok.ms(0.5), w.ok.ms(0.99), w.ok.maxMs(),
            w.other, w.errors, w.closed, (cpuTicks(bare.pid()) - cpu) * 10_000_000.0 / (System.nanoTime() - start));
      }
    } finally {
      bare.destroyForcibly();
      bare.waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** A process's CPU time (user + system) in clock ticks, 100 a second, from {@code /proc}. */
  private static long cpuTicks(long pid) throws IOException {
    String[] f = procStat(pid);
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The fields of {@code /proc/<pid>/stat} after the command name: [11] user time, [12] system time. */
  private static String[] procStat(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** Every request answered 200, p99 from the intended send time under {@link #P99_MS}, no connection lost. */
  private static boolean servedFully(PredictLoad.Window w) {
    return w.ok.size() == w.sent && w.closed == 0 && w.ok.ms(0.99) < P99_MS;
  }

  /** A closed-loop ramp (after 5 s of warm-up); the best throughput seen is the peak. */
  private double peak(PredictLoad load) throws Exception {
    load.closed(16, 5);
    double peak = 0;
    for (int c : new int[] {4, 8, 16, 32, 64}) {
      PredictLoad.Window w = load.closed(c, 4);
      print("peak c=" + c, w, heapAfterGcMb());
      assertTrue(w.errors == 0 && w.other.isEmpty() && w.shed.size() == 0, "peak ramp: " + w.other + " "
          + w.firstError + tail());
      peak = Math.max(peak, w.rate());
    }
    System.out.printf("peak: %.0f req/s (closed loop, the load generator in the test JVM on the same %d cores)%n",
        peak, Runtime.getRuntime().availableProcessors());
    return peak;
  }

  /**
   * One window's line: answers per second; 200s' p50/p99/max from the intended send time; 503s' count and max,
   * from the intended send time and from when the request was written (the node's own answer time, what shedding
   * at once is about; at twice the peak the load generator, on the same cores, falls behind its schedule and
   * requests wait for a connection here first); other answers, errors, closed connections; heap after GC.
   */
  private String print(String name, PredictLoad.Window w, long heapMb) {
    String line = String.format(Locale.ROOT, "%-11s %6.0f/s (offered %6.0f)  200: %7d p50 %6.2f p99 %7.2f max %8.2f ms"
        + "  503: %6d max %8.2f ms (from write: p99 %6.2f max %6.2f ms)  other %s errors %d closed %d  heap %s",
        name, w.rate(), w.offeredRate, w.ok.size(), w.ok.ms(0.5), w.ok.ms(0.99), w.ok.maxMs(), w.shed.size(),
        w.shed.maxMs(), w.shedSent.ms(0.99), w.shedSent.maxMs(), w.other, w.errors, w.closed,
        heapMb < 0 ? "-" : heapMb + " MB") + gcNote() + (w.firstError == null ? "" : " first error: " + w.firstError);
    System.out.println(line);
    System.out.println("            " + hiccups.window() + "; " + nodeWait.window() + "; " + generatorWait.window()
        + "; " + series.window()
        + (w.shed.size() == 0 ? "" : "; slowest 503 from write by second (s:ms): "
            + PredictLoad.slowestShedBySecond(w)));
    return line;
  }

  // ---------------------------------------------------------------- the node

  /** W2's single record: the first row of data/churn-new.csv, numbers as numbers. */
  private static JsonObject w2Record() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("data", "churn-new.csv"));
    String[] header = lines.get(0).split(",", -1);
    String[] fields = lines.get(1).split(",", -1);
    JsonObject r = new JsonObject();
    for (int j = 0; j < header.length; j++) {
      String v = fields[j];
      boolean text = j == 0 || !v.matches("-?[0-9.eE+-]+");
      r.put(header[j], v.isEmpty() ? null : text ? v : (Object) Double.parseDouble(v));
    }
    return r;
  }

  // ---------------------------------------------------------------- the heap

  /**
   * The heap after GC in the window just ended: the lowest occupancy right after a pause among the pauses the
   * node's GC log recorded since the last call (-1 when there was none). No collection is forced, so the
   * measurement does not disturb the latencies it sits between.
   */
  private long heapAfterGcMb() throws IOException {
    byte[] all = Files.readAllBytes(gcLog);
    String text = new String(all, (int) gcLogRead, all.length - (int) gcLogRead, StandardCharsets.UTF_8);
    gcLogRead = all.length;
    long min = -1;
    pauses = 0;
    maxPauseMs = 0;
    Matcher m = GC.matcher(text);
    while (m.find()) {
      long after = Long.parseLong(m.group(2));
      min = min < 0 ? after : Math.min(min, after);
      pauses++;
      maxPauseMs = Math.max(maxPauseMs, Double.parseDouble(m.group(3)));
    }
    return min;
  }

  /** The node's GC pauses in the window just read, and the machine's load average (other work on its cores). */
  private String gcNote() {
    String load;
    try {
      load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      load = "?";
    }
    return String.format(Locale.ROOT, " (%d GC pauses, max %.1f ms; load average %s; %s)", pauses, maxPauseMs, load,
        cpuNote());
  }

  /**
   * Cores used since the last line by the node's process, by the load generator (this thread) and by this JVM's
   * collector, and the machine's idle and stolen cores: what tells a slower node from a slower load generator
   * or a busier machine when latencies drift at a constant rate.
   */
  private String cpuNote() {
    long[] now = new long[7];
    try {
      String[] f = procStat(node.process().pid());
      now[1] = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime + stime, 100 ticks a second
      now[6] = Long.parseLong(f[12]) * 10_000_000L; // stime: the kernel's part
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      now[4] = (Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])) * 10_000_000L; // idle + iowait
      now[5] = Long.parseLong(cpu[8]) * 10_000_000L; // steal
    } catch (IOException | RuntimeException e) {
      return "cpu ?";
    }
    now[0] = System.nanoTime();
    now[2] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    now[3] = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() * 1_000_000L;
    long[] last = lastCpu;
    lastCpu = now;
    if (last == null) {
      return "cpu from the next window";
    }
    double span = now[0] - last[0];
    return String.format(Locale.ROOT, "cores: node %.2f (kernel %.2f), load generator %.2f, its GC %.3f, idle %.2f, stolen %.2f",
        (now[1] - last[1]) / span, (now[6] - last[6]) / span, (now[2] - last[2]) / span, (now[3] - last[3]) / span, (now[4] - last[4]) / span,
        (now[5] - last[5]) / span);
  }

  /** Live heap, outside the measured windows (a full collection), then past the GC log it wrote. */
  private long liveHeapMb() throws Exception {
    long mb = node.liveHeapMb();
    heapAfterGcMb();
    return mb;
  }

  private String tail() throws IOException {
    return node.tail();
  }
}
