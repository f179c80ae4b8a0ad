package io.busflow.bench;

import io.busflow.BusflowNode;
import io.busflow.cluster.NodeProcess;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run.sh bench scale}: how W1 scoring grows with the cores of one JVM and with the nodes of a local
 * cluster. First, in this JVM on one node from conf/busflow.json, the score job with partitions 1, 2, 4, … up to
 * the cores (and the cores themselves) beside the plain loop of {@link W1Baseline}, each round running every
 * side on the same data; medians, ratios to the loop, speed-ups over one piece and Amdahl's serial fraction.
 * Then a Hazelcast cluster on 127.0.0.1: this JVM the coordinator + loader node (conf/nodes/coordinator.json),
 * k preprocessor JVMs and k model JVMs (conf/nodes/preprocessor.json, model.json, 2 instances each, started
 * with {@link NodeProcess}) for k = 1, 2, 4 up to {@code --max-k}, grown in place; the job with 2k
 * partitions. Every output must equal the one-piece output byte for byte. Options: {@code --rows}
 * (1,000,000), {@code --rounds} (3), {@code --max-partitions} (the cores), {@code --max-k} (4, 0: no
 * cluster), {@code --cluster-warmup} (3), {@code --cluster-partitions} (2k), {@code --batch}, {@code --inflight},
 * {@code --workloads}. Ends with one JSON line; the same in target/bench/scale.json.
 */
final class ScaleBench {

  private static final Path DIR = W1Bench.DIR;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private ScaleBench() {}

  static void run(BenchArgs args) throws Exception {
    W1Bench.quietUnlessAsked();
    quietHazelcastUnlessAsked();
    long rows = args.number("rows", 1_000_000);
    int rounds = (int) args.number("rounds", 3);
    W1Bench.Workload w = W1Bench.prepare(args, rows);
    Path data = w.data();
    Map<String, Object> params = w.params();
    String loadBefore = loadAverage();
    System.out.printf("scale: W1 scoring of %,d rows (%s), %d rounds (+1 warm-up), %d cores, max heap %d MB,"
        + " load average %s%n", rows, data, rounds, CORES, Runtime.getRuntime().maxMemory() >> 20, loadBefore);
    JsonObject result = new JsonObject().put("bench", "scale").put("rows", rows).put("cores", CORES)
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20).put("load_before", loadBefore);
    oneJvm(data, params, args, rounds, result);
    int maxK = (int) args.number("max-k", 4);
    if (maxK > 0) {
      cluster(data, args, rounds, maxK, result);
    }
    result.put("load_after", loadAverage()).put("peak_rss_mb", Stats.peakRssMb());
    Files.writeString(DIR.resolve("scale.json"), result.encodePrettily());
    System.out.println(result.encode());
  }

  /** 1, 2, 4, … up to {@code max}, and {@code max} itself when it is not a power of two. */
  static List<Integer> partitionSteps(int max) {
    List<Integer> steps = new ArrayList<>();
    for (int p = 1; p <= max; p *= 2) {
      steps.add(p);
    }
    if (steps.get(steps.size() - 1) != max) {
      steps.add(max);
    }
    return steps;
  }

  /** The cluster sizes measured: k = 1, 2, 4, … up to {@code maxK}. */
  static List<Integer> clusterSteps(int maxK) {
    List<Integer> steps = new ArrayList<>();
    for (int k = 1; k <= maxK; k *= 2) {
      steps.add(k);
    }
    return steps;
  }

  private static void oneJvm(Path data, Map<String, Object> params, BenchArgs args, int rounds, JsonObject result)
      throws Exception {
    List<Integer> steps = partitionSteps((int) Math.min(args.number("max-partitions", CORES),
        PipelineDefinition.MAX_PARTITIONS));
    double[][] rates = new double[steps.size()][rounds];
    ThreadCpu.Usage[][] usage = new ThreadCpu.Usage[steps.size()][rounds];
    double[] loopRates = new double[rounds];
    Vertx vertx = Vertx.vertx();
    try {
      W1Bench.await(vertx.deployVerticle(new BusflowNode(),
          new DeploymentOptions().setConfig(BenchConfig.node(Path.of("conf", "busflow.json")))));
      W1Baseline loop = new W1Baseline(params);
      for (int r = -1; r < rounds; r++) {
        StringBuilder line = new StringBuilder();
        double b = W1Bench.baselineRound(loop, data);
        line.append(String.format("baseline %,.0f", b));
        for (int i = 0; i < steps.size(); i++) {
          ThreadCpu.Sampler sampler = ThreadCpu.start(W1Bench.SAMPLE_MS);
          double rate = W1Bench.busflowRound(vertx, data, output(steps.get(i)),
              args.with("partitions", steps.get(i).toString()));
          ThreadCpu.Usage u = sampler.stop();
          line.append(String.format("   p=%d %,.0f (%.2f cores)", steps.get(i), rate, u.cores()));
          if (r >= 0) {
            rates[i][r] = rate;
            usage[i][r] = u;
          }
        }
        if (r >= 0) {
          loopRates[r] = b;
        }
        System.out.printf("  round %s rows/s: %s%n", r < 0 ? "warm-up" : Integer.toString(r + 1), line);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    double baseline = Stats.median(loopRates);
    result.put("baseline_rows_per_s", Math.round(baseline));
    result.put("one_jvm", oneJvmTable(steps, rates, usage, baseline));
  }

  private static JsonArray oneJvmTable(List<Integer> steps, double[][] rates, ThreadCpu.Usage[][] usage,
      double baseline) throws IOException {
    double one = Stats.median(rates[0]);
    JsonArray table = new JsonArray();
    System.out.printf("one JVM (medians; the plain loop %,.0f rows/s):%n  partitions   rows/s       ratio to loop"
        + "   speed-up over 1   Amdahl serial fraction   cores busy   single-threaded CPU%n", baseline);
    for (int i = 0; i < steps.size(); i++) {
      int p = steps.get(i);
      double rate = Stats.median(rates[i]);
      double serial = ThreadCpu.amdahlSerialFraction(rate / one, Math.min(p, CORES));
      double cores = Stats.median(java.util.Arrays.stream(usage[i]).mapToDouble(ThreadCpu.Usage::cores).toArray());
      double single = Stats.median(java.util.Arrays.stream(usage[i])
          .mapToDouble(ThreadCpu.Usage::singleThreadedShare).toArray());
      System.out.printf(Locale.ROOT, "  %10d   %,11.0f   %13.2f   %15.2f   %22s   %10.2f   %18.0f%%%n", p, rate,
          rate / baseline, rate / one, Double.isNaN(serial) ? "-" : String.format(Locale.ROOT, "%.2f", serial),
          cores, 100 * single);
      if (Files.mismatch(output(1), output(p)) != -1) {
        throw new IllegalStateException("the output with partitions " + p + " differs from the one-piece output");
      }
      table.add(new JsonObject().put("partitions", p).put("rows_per_s", Math.round(rate))
          .put("ratio_to_baseline", round(rate / baseline)).put("speedup", round(rate / one))
          .put("serial_fraction", Double.isNaN(serial) ? null : round(serial)).put("cores_busy", round(cores))
          .put("single_threaded_cpu_share", round(single)));
    }
    System.out.println("  outputs: every partition count wrote the same bytes");
    return table;
  }

  private static Path output(int partitions) {
    return DIR.resolve("scale-p" + partitions + ".csv");
  }

  /** The cluster rows, k = 1, 2, 4 … up to {@code maxK}, on one cluster grown in place. */
  private static void cluster(Path data, BenchArgs args, int rounds, int maxK, JsonObject result) throws Exception {
    int warmup = (int) args.number("cluster-warmup", 3);
    String name = "busflow-bench-" + UUID.randomUUID();
    List<NodeProcess> nodes = new ArrayList<>();
    Vertx coordinator = null;
    JsonArray table = new JsonArray();
    try {
      coordinator = W1Bench.await(ClusterBench.clustered(name));
      W1Bench.await(coordinator.deployVerticle(new BusflowNode(),
          new DeploymentOptions().setConfig(ClusterW1.coordinatorNode())));
      double first = Double.NaN;
      for (int k : clusterSteps(maxK)) {
        grow(coordinator, name, nodes, k);
        int partitions = (int) args.number("cluster-partitions", 2L * k);
        int jvms = 1 + 2 * k;
        System.out.printf("cluster k=%d: %d JVMs (this one: coordinator + loader; %d preprocessor, %d model nodes),"
            + " partitions %d, %d rounds (+%d warm-up)%s%n", k, jvms, k, k, partitions, rounds, warmup,
            jvms > CORES ? String.format(" — %d JVMs on %d cores: these rows show that it works, not how it scales",
                jvms, CORES) : "");
        double[] rates = new double[rounds];
        BenchArgs job = args.with("partitions", Integer.toString(partitions));
        for (int r = -warmup; r < rounds; r++) {
          double rate = W1Bench.busflowRound(coordinator, data, DIR.resolve("scale-cluster.csv"), job);
          System.out.printf("  round %s: %,.0f rows/s%n", r < 0 ? "warm-up" : Integer.toString(r + 1), rate);
          if (r >= 0) {
            rates[r] = rate;
          }
        }
        if (Files.mismatch(output(1), DIR.resolve("scale-cluster.csv")) != -1) {
          throw new IllegalStateException("the cluster's output (k=" + k + ") differs from the one-JVM output");
        }
        double median = Stats.median(rates);
        first = Double.isNaN(first) ? median : first;
        System.out.printf("  median %,.0f rows/s, %.2f× k=1; output the same bytes as in one JVM%n", median,
            median / first);
        table.add(new JsonObject().put("k", k).put("jvms", jvms).put("partitions", partitions)
            .put("rows_per_s", Math.round(median)).put("ratio_to_k1", round(median / first)));
      }
    } finally {
      if (coordinator != null) {
        coordinator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      for (NodeProcess n : nodes) {
        n.stop(30);
      }
    }
    result.put("cluster", table);
    if (1 + 2 * maxK > CORES) {
      result.put("cluster_note", "JVMs outnumber the " + CORES + " cores: the cluster rows show that it works, not how"
          + " it scales");
    }
  }

  /** Starts preprocessor and model JVMs until there are {@code k} of each; waits until all are up. */
  private static void grow(Vertx coordinator, String cluster, List<NodeProcess> nodes, int k) throws Exception {
    List<Future<NodeProcess>> up = new ArrayList<>();
    for (int i = nodes.size() / 2 + 1; i <= k; i++) {
      for (String role : List.of("preprocessor", "model")) {
        NodeProcess n = ClusterW1.startRole(cluster, role, role + "-" + i);
        nodes.add(n);
        up.add(n.ready(coordinator, 180_000));
      }
    }
    W1Bench.await(Future.all(up));
  }

  /**
   * Hazelcast warns in this JVM (the cluster's master) while several members join at once — partition
   * migrations retried, member lists changing under a registration — which would interleave with the figures:
   * ERROR only, unless {@code BUSFLOW_LOG_LEVEL} asks for logs. The nodes' own logs are in target/bench.
   */
  private static void quietHazelcastUnlessAsked() {
    if (System.getenv("BUSFLOW_LOG_LEVEL") == null
        && org.slf4j.LoggerFactory.getLogger("com.hazelcast") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
