package io.busflow.bench;

import io.busflow.BusflowNode;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parallel fit: the same training job on the W1 churn table (generated as {@code bench w1} does) read in one
 * partition and in {@code --partitions P}, alternately in one JVM on a node configured by conf/busflow.json —
 * impute (median, most frequent), standard scaling, one-hot, a logistic regression, a 20 % test split by row,
 * three passes (preprocessing fit, model fit, evaluation). Reports the median seconds of each, their ratio,
 * whether the fitted states agree (one-hot levels, medians and most-frequent values identical; every number
 * within 1e-9 relative), and a last line {@code train rows=… partitions=… one_s=… parallel_s=… ratio=…
 * same_model=… peak_rss_mb=…}. Full results go to target/bench/train.json.
 */
final class TrainBench {

  private TrainBench() {}

  static void run(BenchArgs args) throws Exception {
    W1Bench.quietUnlessAsked();
    long rows = args.number("rows", 1_000_000);
    int rounds = (int) args.number("rounds", 3);
    Object partitions = W1Bench.partitions(args.withDefault("partitions", "2"));
    Path workloads = Path.of(args.string("workloads", System.getenv().getOrDefault("BUSFLOW_WORKLOADS",
        "../shared/workloads")));
    Path gen = W1Bench.DIR.resolve("w1-" + rows);
    Files.createDirectories(gen);
    Path data = W1Bench.generate(workloads, gen, rows);
    System.out.printf("training job: %,d rows (%s, %.1f MB), 1 partition vs %s, %d rounds (+1 warm-up) each, %d cores,"
        + " max heap %d MB, load average %.2f%n", rows, data, Files.size(data) / 1e6, partitions, rounds,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
    double[][] seconds = measure(data, partitions, args, rounds);
    String differs = difference(state("1-pp"), state("p-pp"), "preprocessor");
    differs = differs != null ? differs : difference(state("1-model"), state("p-model"), "model");
    report(rows, partitions, Stats.median(seconds[0]), Stats.median(seconds[1]), differs, args,
        Stats.median(seconds[3]) / Stats.median(seconds[2]), Stats.median(seconds[4]));
    if (differs != null) {
      System.exit(1);
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double[][] measure(Path data, Object partitions, BenchArgs args, int rounds) throws Exception {
    double[] one = new double[rounds];
    double[] parallel = new double[rounds];
    double[][] estimates = new double[2][rounds];
    double[] cpuBound = new double[rounds];
    Vertx vertx = Vertx.vertx();
    try {
      W1Bench.await(vertx.deployVerticle(new BusflowNode(),
          new DeploymentOptions().setConfig(BenchConfig.node(Path.of("conf", "busflow.json")))));
      for (int r = -1; r < rounds; r++) {
        List<ThreadCpu.Stretch> phasesOne = new java.util.ArrayList<>();
        List<ThreadCpu.Stretch> phasesParallel = new java.util.ArrayList<>();
        double loadBefore = loadAverage();
        double a = round(vertx, data, 1, "1", args, phasesOne);
        double b = round(vertx, data, partitions, "p", args, phasesParallel);
        if (r >= 0) {
          one[r] = a;
          parallel[r] = b;
        }
        System.out.printf("  round %s: 1 partition %.2f s   %s partitions %.2f s   ratio %.2f   (load %.2f → %.2f, peak RSS %d MB)%n",
            r < 0 ? "warm-up" : Integer.toString(r + 1), a, partitions, b, b / a, loadBefore, loadAverage(),
            Stats.peakRssMb());
        double freeOne = onFreeCores(phasesOne);
        double freeParallel = onFreeCores(phasesParallel);
        double bound = cpuBound(phasesOne, a);
        if (r >= 0) {
          estimates[0][r] = freeOne;
          estimates[1][r] = freeParallel;
          cpuBound[r] = bound;
        }
        System.out.printf("    the 1-partition job's CPU: %.2f CPU-s, %.2f cores busy; its CPU over all %d cores would take"
            + " %.2f of its time (the lowest ratio this machine allows unless the pieces cost less CPU)%n",
            cpuSeconds(phasesOne), cpuSeconds(phasesOne) / a, CORES, bound);
        System.out.printf("    estimated on free cores (see ThreadCpu.Stretch): 1 partition %.2f s, %s partitions %.2f s,"
            + " ratio %.2f%n", freeOne, partitions, freeParallel, freeParallel / freeOne);
        System.out.printf("    phases, 1 partition:%s%n    phases, %s partitions:%s%n", phases(phasesOne),
            partitions, phases(phasesParallel));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return new double[][] {one, parallel, estimates[0], estimates[1], cpuBound};
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private static double cpuSeconds(List<ThreadCpu.Stretch> phases) {
    return phases.stream().mapToDouble(ThreadCpu.Stretch::cpuSeconds).sum();
  }

  /**
   * The ratio a run in pieces would reach doing the 1-partition job's CPU work ({@code phases}, every thread, GC and
   * JIT included) with every core busy from start to end: its CPU-seconds over the cores, over its {@code seconds}.
   */
  private static double cpuBound(List<ThreadCpu.Stretch> phases, double seconds) {
    return cpuSeconds(phases) / CORES / seconds;
  }

  private static double onFreeCores(List<ThreadCpu.Stretch> phases) {
    return phases.stream().mapToDouble(ThreadCpu.Stretch::freeCoresSeconds).sum();
  }

  /** Each phase's wall and CPU seconds, cores busy, single-threaded share and GC seconds, one line each. */
  private static String phases(List<ThreadCpu.Stretch> phases) {
    StringBuilder out = new StringBuilder();
    phases.forEach(p -> out.append("\n      ").append(p.describe()));
    return out.toString();
  }

  /**
   * One training job in {@code partitions}, saving its states as train-TAG-pp.json and train-TAG-model.json;
   * seconds. {@code phases} gets what each phase took ({@link ThreadCpu.Stretch}): from the job's start to its first
   * phase ("start"), then from the start of each phase (as its progress says) to the start of the next, the last to
   * the job's end; the model's phase ends at its solve ({@code fit model: solve}, the Newton steps on what it kept).
   */
  private static double round(Vertx vertx, Path data, Object partitions, String tag, BenchArgs args,
      List<ThreadCpu.Stretch> phases) throws Exception {
    JsonArray numeric = new JsonArray(List.of("age", "income", "balance", "tenure_months", "num_products"));
    JsonArray steps = new JsonArray()
        .add(step("impute", new JsonObject().put("strategy", "median").put("columns", new JsonArray(List.of("age", "income")))))
        .add(step("impute", new JsonObject().put("strategy", "most_frequent").put("columns", new JsonArray(List.of("country")))))
        .add(step("scale", new JsonObject().put("method", "standard").put("columns", numeric)))
        .add(step("onehot", new JsonObject().put("columns", new JsonArray(List.of("country", "segment")))));
    JsonObject def = new JsonObject().put("name", "train-bench").put("mode", "train")
        .put("source", data.toAbsolutePath().toString()).put("label", "churned").put("id", "customer_id")
        .put("split", new JsonObject().put("test", 0.2).put("seed", 7))
        .put("preprocessing", new JsonObject().put("steps", steps).put("path", target(tag + "-pp").toString()))
        .put("model", new JsonObject().put("type", "logistic").put("path", target(tag + "-model").toString())
            .put("params", new JsonObject().put("tol", 1e-8)))
        .put("batchSize", args.number("batch", 10_000)).put("batchesInFlight", args.number("inflight", 4))
        .put("partitions", partitions);
    long start = System.nanoTime();
    ThreadCpu.Sampler sampler = ThreadCpu.start(W1Bench.SAMPLE_MS);
    sampler.mark("start");
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    JsonObject report = W1Bench.await(PipelineClient.run(vertx, new PipelineProtocol.Run(null, def, null,
        new JsonObject()), p -> markNew(sampler, seen, p.getString("phase", "?"))));
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.stop();
    phases.addAll(sampler.stretches());
    if (!"succeeded".equals(report.getString("state"))) {
      throw new IllegalStateException("the training job did not succeed: " + report.encodePrettily());
    }
    Object read = report.getJsonObject("training").getValue("partitions");
    if (!partitions.equals(1) && Integer.valueOf(1).equals(read)) {
      throw new IllegalStateException("the job read its source whole; is it below partitionMinBytes? " + report.encode());
    }
    return seconds;
  }

  private static void markNew(ThreadCpu.Sampler sampler, java.util.Set<String> seen, String phase) {
    if (seen.add(phase)) {
      sampler.mark(phase);
    }
  }

  private static JsonObject step(String kind, JsonObject body) {
    return new JsonObject().put(kind, body);
  }

  private static Path target(String name) {
    return W1Bench.DIR.resolve("train-" + name + ".json").toAbsolutePath();
  }

  private static Object state(String name) throws java.io.IOException {
    return io.busflow.pipeline.internal.JsonShapes.toMap(new JsonObject(Files.readString(target(name))));
  }

  /**
   * Null when the states agree: imputer fill values (medians, most-frequent values) and one-hot levels exactly,
   * other numbers (means, scales, coefficients) within 1e-9 relative, everything else equal; else where they
   * differ.
   */
  static String difference(Object one, Object parallel, String where) {
    if (one instanceof Number a && parallel instanceof Number b) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      return Math.abs(x - y) <= 1e-9 * Math.max(1e-3, Math.abs(x)) ? null : where + ": " + x + " vs " + y;
    }
    if (one instanceof Map<?, ?> a && parallel instanceof Map<?, ?> b) {
      if ("impute".equals(a.get("type")) || "onehot".equals(a.get("type"))) {
        return a.equals(b) ? null : where + " (exact): " + a + " vs " + b;
      }
      if (!a.keySet().equals(b.keySet())) {
        return where + ": keys " + a.keySet() + " vs " + b.keySet();
      }
      for (Object k : a.keySet()) {
        String d = difference(a.get(k), b.get(k), where + "." + k);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (one instanceof List<?> a && parallel instanceof List<?> b) {
      if (a.size() != b.size()) {
        return where + ": " + a.size() + " vs " + b.size() + " entries";
      }
      for (int i = 0; i < a.size(); i++) {
        String d = difference(a.get(i), b.get(i), where + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return java.util.Objects.equals(one, parallel) ? null : where + ": " + one + " vs " + parallel;
  }

  private static void report(long rows, Object partitions, double one, double parallel, String differs, BenchArgs args,
      double freeCoresRatio, double cpuBoundRatio) throws java.io.IOException {
    double ratio = parallel / one;
    long rss = Stats.peakRssMb();
    boolean same = differs == null;
    System.out.printf("median: 1 partition %.2f s, %s partitions %.2f s, ratio %.2f; fitted states %s; peak RSS %d MB%n",
        one, partitions, parallel, ratio, same ? "agree" : "DIFFER (" + differs + ")", rss);
    Files.writeString(W1Bench.DIR.resolve("train.json"), new JsonObject().put("workload", "train").put("rows", rows)
        .put("partitions", partitions).put("one_s", one).put("parallel_s", parallel).put("ratio", ratio)
        .put("same_model", same).put("difference", differs).put("peak_rss_mb", rss)
        .put("batch", args.number("batch", 10_000)).put("inflight", args.number("inflight", 4))
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20).put("load_average", loadAverage())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("free_cores_ratio", freeCoresRatio).put("cpu_bound_ratio", cpuBoundRatio).encodePrettily());
    System.out.printf("train rows=%d partitions=%s one_s=%.3f parallel_s=%.3f ratio=%.2f same_model=%s peak_rss_mb=%d"
        + " free_cores_ratio=%.2f cpu_bound_ratio=%.2f%n", rows, partitions, one, parallel, ratio, same, rss,
        freeCoresRatio, cpuBoundRatio);
  }
}
