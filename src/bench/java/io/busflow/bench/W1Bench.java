package io.busflow.bench;

import io.busflow.BusflowNode;
import io.busflow.data.model.W1Params;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W1, batch scoring of a CSV file (shared/workloads/README.md): generates {@code churn-ROWS.csv} and its
 * fitted parameters with the workload's {@code gen_churn.py} into target/bench/w1-ROWS, then alternately runs
 * busflow's pipeline — a score job on a node configured by conf/busflow.json, loader, preprocessor and
 * model actors, batches over the event bus, output to target/bench/w1-busflow.csv — and the plain loop
 * of {@link W1Baseline}, in the same JVM; checks the outputs agree with the workload's
 * {@code compare_outputs.py}; reports medians, peak RSS, and a last line
 * {@code w1 rows=… busflow_rows_per_s=… baseline_rows_per_s=… ratio=… peak_rss_mb=… partitions=…}. With
 * {@code --partitions N} (or {@code auto}) the score job reads, scores and writes the file in N exact pieces at
 * once. Full results go to target/bench/w1.json.
 */
final class W1Bench {

  static final Path DIR = Path.of("target", "bench");
  /** How often the threads' CPU times are sampled while busflow's rounds run. */
  static final long SAMPLE_MS = 10;

  private W1Bench() {}

  static void run(BenchArgs args) throws Exception {
    quietUnlessAsked();
    long rows = args.number("rows", 1_000_000);
    int rounds = (int) args.number("rounds", 3);
    Workload w = prepare(args, rows);
    Path workloads = w.workloads();
    Path data = w.data();
    Map<String, Object> params = w.params();
    System.out.printf("W1 batch scoring: %,d rows (%s, %.1f MB), %d rounds (+1 warm-up) per side, %d cores, "
        + "max heap %d MB, partitions %s%n", rows, data, Files.size(data) / 1e6, rounds,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, partitions(args));
    Measured m = measure(data, params, args, rounds);
    boolean same = compare(workloads) && samePieces(args);
    report(rows, m, same, args);
    if (!same) {
      System.exit(1);
    }
  }

  /** The workloads folder, the data file of the rows asked for, and its W1 parameters. */
  record Workload(Path workloads, Path data, Map<String, Object> params) {}

  /**
   * {@code rows} rows of W1 data and their parameters in target/bench/w1-ROWS (generated once with the
   * workloads of {@code --workloads}), with the fitted preprocessor and model a score job loads beside them.
   */
  static Workload prepare(BenchArgs args, long rows) throws IOException, InterruptedException {
    Path workloads = Path.of(args.string("workloads", System.getenv().getOrDefault("BUSFLOW_WORKLOADS",
        "../shared/workloads")));
    Path gen = DIR.resolve("w1-" + rows);
    Files.createDirectories(gen);
    Path data = generate(workloads, gen, rows);
    Map<String, Object> params = JsonShapes.toMap(new JsonObject(Files.readString(gen.resolve("churn-params.json"))));
    writeArtifacts(gen, params);
    return new Workload(workloads, data, params);
  }

  /** Job start and end lines would interleave with the figures: busflow logs at WARN unless asked. */
  static void quietUnlessAsked() {
    if (System.getenv("BUSFLOW_LOG_LEVEL") == null
        && org.slf4j.LoggerFactory.getLogger("io.busflow") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /** The data and parameters of {@code rows} rows in {@code gen}, generated once (the generator is seeded). */
  static Path generate(Path workloads, Path gen, long rows) throws IOException, InterruptedException {
    Path data = gen.resolve("churn-" + rows + ".csv");
    if (Files.exists(data) && Files.exists(gen.resolve("churn-params.json"))) {
      return data;
    }
    System.out.printf("generating %s with %s/gen_churn.py …%n", data, workloads);
    python(workloads.resolve("gen_churn.py").toString(), Long.toString(rows), gen.toString());
    return data;
  }

  /** The W1 parameters as the fitted preprocessor and model states a score job loads. */
  static void writeArtifacts(Path gen, Map<String, Object> params) throws IOException {
    W1Params w1 = W1Params.load(params);
    Files.writeString(gen.resolve("w1-preprocessor.json"), JsonShapes.toJson(w1.preprocessor().toState()).encode());
    Files.writeString(gen.resolve("w1-model.json"), JsonShapes.toJson(w1.model().toState()).encode());
  }

  /**
   * The medians of the timed rounds: busflow at the asked partitions, the plain loop, busflow on one piece when
   * more were asked ({@code onePiece}, else NaN), and where busflow's CPU went in its rounds.
   */
  record Measured(double busflow, double baseline, double onePiece, double cores, double singleThreadedShare,
      double busiestCpuShare, double busiestWallShare, String busiest) {

    /** Amdahl's serial fraction from partitions {@code n} against one, on at most as many cores as there are. */
    double serialFraction(int n) {
      return ThreadCpu.amdahlSerialFraction(busflow / onePiece,
          Math.min(n, Runtime.getRuntime().availableProcessors()));
    }
  }

  private static Measured measure(Path data, Map<String, Object> params, BenchArgs args, int rounds)
      throws Exception {
    int n = partitionCount(args);
    BenchArgs one = n > 1 ? args.with("partitions", "1") : null;
    double[] busflow = new double[rounds];
    double[] baseline = new double[rounds];
    double[] onePiece = new double[rounds];
    ThreadCpu.Usage[] usage = new ThreadCpu.Usage[rounds];
    Vertx vertx = Vertx.vertx();
    try {
      await(vertx.deployVerticle(new BusflowNode(),
          new DeploymentOptions().setConfig(BenchConfig.node(Path.of("conf", "busflow.json")))));
      W1Baseline loop = new W1Baseline(params);
      for (int r = -1; r < rounds; r++) {
        ThreadCpu.Sampler sampler = ThreadCpu.start(SAMPLE_MS);
        double b = busflowRound(vertx, data, DIR.resolve("w1-busflow.csv"), args);
        ThreadCpu.Usage used = sampler.stop();
        ThreadCpu.Sampler loopSampler = ThreadCpu.start(SAMPLE_MS);
        double p = baselineRound(loop, data);
        ThreadCpu.Usage loopUsed = loopSampler.stop();
        double o = one == null ? Double.NaN : busflowRound(vertx, data, DIR.resolve("w1-one-piece.csv"), one);
        if (r >= 0) {
          busflow[r] = b;
          baseline[r] = p;
          onePiece[r] = o;
          usage[r] = used;
        }
        System.out.printf(Locale.ROOT, "  round %s: busflow %,.0f rows/s on %s   baseline %,.0f rows/s on %.2f cores,"
            + " %.0f%% single-threaded%s   (peak RSS %d MB)%n", r < 0 ? "warm-up" : Integer.toString(r + 1), b,
            used.describe(), p, loopUsed.cores(), 100 * loopUsed.singleThreadedShare(),
            one == null ? "" : String.format(Locale.ROOT, "   one piece %,.0f rows/s", o), Stats.peakRssMb());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return new Measured(Stats.median(busflow), Stats.median(baseline), Stats.median(onePiece),
        Stats.median(java.util.Arrays.stream(usage).mapToDouble(ThreadCpu.Usage::cores).toArray()),
        Stats.median(java.util.Arrays.stream(usage).mapToDouble(ThreadCpu.Usage::singleThreadedShare).toArray()),
        Stats.median(java.util.Arrays.stream(usage).mapToDouble(ThreadCpu.Usage::busiestCpuShare).toArray()),
        Stats.median(java.util.Arrays.stream(usage).mapToDouble(ThreadCpu.Usage::busiestWallShare).toArray()),
        mostOften(usage));
  }

  /** The thread that was busiest in most rounds. */
  private static String mostOften(ThreadCpu.Usage[] usage) {
    return java.util.Arrays.stream(usage).collect(java.util.stream.Collectors.groupingBy(ThreadCpu.Usage::busiest,
        java.util.stream.Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse("none");
  }

  /** The number of pieces {@code --partitions} asks for on this machine ({@code auto}: one per core). */
  static int partitionCount(BenchArgs args) {
    Object p = partitions(args);
    return p instanceof Integer n ? n : Runtime.getRuntime().availableProcessors();
  }

  /** One score job of {@code data} into {@code output} on {@code vertx}'s coordinator; its rows per second. */
  static double busflowRound(Vertx vertx, Path data, Path output, BenchArgs args) throws Exception {
    JsonObject def = new JsonObject().put("name", "w1").put("mode", "score")
        .put("source", data.toAbsolutePath().toString()).put("id", "customer_id")
        .put("preprocessing", new JsonObject().put("path", data.resolveSibling("w1-preprocessor.json").toAbsolutePath()
            .toString()))
        .put("model", new JsonObject().put("path", data.resolveSibling("w1-model.json").toAbsolutePath().toString()))
        .put("output", new JsonObject().put("path", output.toAbsolutePath().toString())
            .put("decimals", 6).put("label", false))
        .put("batchSize", args.number("batch", 10_000)).put("batchesInFlight", args.number("inflight", 4))
        .put("partitions", partitions(args));
    long start = System.nanoTime();
    JsonObject report = await(PipelineClient.run(vertx, new PipelineProtocol.Run(null, def, null, new JsonObject()),
        p -> { }));
    long nanos = System.nanoTime() - start;
    if (!"succeeded".equals(report.getString("state"))) {
      throw new IllegalStateException("the busflow job did not succeed: " + report.encodePrettily());
    }
    return report.getJsonObject("scoring").getLong("rowsWritten") / (nanos / 1e9);
  }

  /**
   * {@code --partitions}: the score job's {@code partitions}, a number from 1 to 1024 or {@code auto}
   * (default 1: the source read front to back).
   */
  static Object partitions(BenchArgs args) {
    String v = args.string("partitions", "1");
    if (v.equals("auto")) {
      return v;
    }
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n >= 1 && n <= io.busflow.pipeline.protocol.PipelineDefinition.MAX_PARTITIONS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--partitions is '" + v + "' but must be a number from 1 to "
        + io.busflow.pipeline.protocol.PipelineDefinition.MAX_PARTITIONS + " or auto");
  }

  /** One run of the plain loop over {@code data}; its rows per second. */
  static double baselineRound(W1Baseline loop, Path data) throws IOException {
    long start = System.nanoTime();
    long n = loop.run(data, DIR.resolve("w1-baseline.csv"), "customer_id");
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static boolean compare(Path workloads) throws IOException, InterruptedException {
    int status = python(workloads.resolve("compare_outputs.py").toString(), DIR.resolve("w1-busflow.csv").toString(),
        DIR.resolve("w1-baseline.csv").toString());
    System.out.println(status == 0 ? "outputs agree (compare_outputs.py)" : "OUTPUTS DIFFER (compare_outputs.py exit "
        + status + ")");
    return status == 0;
  }

  /** With {@code --partitions} above 1: whether the job wrote the same bytes in pieces as on one piece. */
  private static boolean samePieces(BenchArgs args) throws IOException {
    if (partitionCount(args) <= 1) {
      return true;
    }
    boolean same = Files.mismatch(DIR.resolve("w1-busflow.csv"), DIR.resolve("w1-one-piece.csv")) == -1;
    System.out.println(same ? "the job in pieces wrote the bytes it wrote on one piece"
        : "THE JOB IN PIECES WROTE OTHER BYTES THAN ON ONE PIECE (target/bench/w1-busflow.csv, w1-one-piece.csv)");
    return same;
  }

  static int python(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("python3"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    int status = p.waitFor();
    if (status != 0 && args[0].endsWith("gen_churn.py")) {
      throw new IOException("gen_churn.py failed (exit " + status + "); is python3 installed and --workloads right?");
    }
    return status;
  }

  private static void report(long rows, Measured m, boolean same, BenchArgs args) throws IOException {
    double ratio = m.busflow() / m.baseline();
    long rss = Stats.peakRssMb();
    int n = partitionCount(args);
    double serial = n > 1 ? m.serialFraction(n) : Double.NaN;
    System.out.printf("median: busflow %,.0f rows/s, baseline %,.0f rows/s, ratio %.2f, peak RSS %d MB%n",
        m.busflow(), m.baseline(), ratio, rss);
    System.out.printf(Locale.ROOT, "busflow's CPU: %.2f cores busy, %.0f%% of its CPU time in single-threaded"
        + " stretches (one thread doing >= 90%% of the work in a %d ms sample); busiest thread %s (in most rounds),"
        + " %.0f%% of the CPU time, on a core %.0f%% of the wall time%n", m.cores(), 100 * m.singleThreadedShare(),
        SAMPLE_MS, m.busiest(), 100 * m.busiestCpuShare(), 100 * m.busiestWallShare());
    if (n > 1) {
      System.out.printf(Locale.ROOT, "partitions %d against 1: %,.0f against %,.0f rows/s, speed-up %.2f on %d cores:"
          + " Amdahl serial fraction %.2f (0: all parallel, 1: nothing gained; outside 0..1: noise or a slow-down)%n",
          n, m.busflow(), m.onePiece(), m.busflow() / m.onePiece(), Math.min(n, Runtime.getRuntime()
              .availableProcessors()), serial);
    }
    Files.writeString(DIR.resolve("w1.json"), new JsonObject().put("workload", "W1").put("rows", rows)
        .put("busflow_rows_per_s", Math.round(m.busflow())).put("baseline_rows_per_s", Math.round(m.baseline()))
        .put("ratio", ratio).put("peak_rss_mb", rss).put("outputs_agree", same)
        .put("batch", args.number("batch", 10_000)).put("inflight", args.number("inflight", 4))
        .put("partitions", partitions(args)).put("cores_busy", m.cores())
        .put("single_threaded_cpu_share", m.singleThreadedShare())
        .put("busiest_thread", m.busiest()).put("busiest_thread_cpu_share", m.busiestCpuShare())
        .put("busiest_thread_wall_share", m.busiestWallShare())
        .put("one_piece_rows_per_s", n > 1 ? Math.round(m.onePiece()) : null)
        .put("serial_fraction", n > 1 ? serial : null)
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20)
        .put("cores", Runtime.getRuntime().availableProcessors()).encodePrettily());
    System.out.printf(Locale.ROOT, "w1 rows=%d busflow_rows_per_s=%d baseline_rows_per_s=%d ratio=%.2f peak_rss_mb=%d"
        + " partitions=%s cores_busy=%.2f single_threaded_cpu_share=%.3f busiest_thread_cpu_share=%.3f"
        + " busiest_thread_wall_share=%.3f serial_fraction=%s%n", rows, Math.round(m.busflow()), Math.round(m.baseline()),
        ratio, rss, partitions(args), m.cores(), m.singleThreadedShare(), m.busiestCpuShare(), m.busiestWallShare(),
        n > 1 ? String.format(Locale.ROOT, "%.3f", serial) : "NA");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
  }
}
