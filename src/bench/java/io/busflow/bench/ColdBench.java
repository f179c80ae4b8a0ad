package io.busflow.bench;

import io.busflow.pipeline.internal.JsonShapes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W1 as a user runs it, whole processes from a cold JVM: {@code busflow.jar}'s command line scoring the rows
 * ({@code io.busflow.Cli score}, as {@code ./run.sh score} starts it) against a process running the plain loop
 * ({@link W1Baseline}) on the same file, alternately, each side with a class data sharing archive of its own
 * made by a first round (as {@code run.sh} makes one for the command line). busflow's process gets the JVM options
 * {@code run.sh} gives its batch commands ({@code BATCH_JAVA_OPTS}, which {@code run.sh} exports); the
 * loop's gets the JVM's defaults, or the same options with {@code --loop-options batch}. Prints the median wall
 * times and their ratio (busflow / loop; below 1 is faster), then one machine-readable line.
 */
final class ColdBench {

  private static final Path DIR = W1Bench.DIR.resolve("cold");
  private static final Path JAR = Path.of("target", "busflow.jar");

  private ColdBench() {}

  static void run(BenchArgs args) throws Exception {
    long rows = args.number("rows", 1_000_000);
    int rounds = (int) args.number("rounds", 5);
    W1Bench.Workload w = W1Bench.prepare(args, rows);
    Path workloads = w.workloads();
    Path data = w.data();
    Path gen = data.getParent();
    Files.createDirectories(DIR);
    Path pipeline = DIR.resolve("w1-cold.json");
    Files.writeString(pipeline, pipeline(gen, data).encodePrettily());
    System.out.printf("W1 cold processes: %,d rows (%s), %d rounds (+1 making each side's CDS archive), %d cores%n",
        rows, data, rounds, Runtime.getRuntime().availableProcessors());
    Object partitions = W1Bench.partitions(args);
    List<String> batchOptions = batchOptions();
    String loopOptions = args.string("loop-options", "default");
    if (!loopOptions.equals("default") && !loopOptions.equals("batch")) {
      throw new IllegalArgumentException("--loop-options is '" + loopOptions + "' but must be default (the JVM's) "
          + "or batch (run.sh's options for batch commands, as busflow's process gets)");
    }
    System.out.printf("JVM options: busflow %s, plain loop %s%n", batchOptions,
        loopOptions.equals("batch") ? batchOptions : "[] (the JVM's defaults)");
    List<String> busflow = cat(batchOptions, List.of("-cp", JAR.toString(), "io.busflow.Cli", "score", pipeline.toString(),
        "w1-" + rows + "/" + data.getFileName(), DIR.resolve("busflow.csv").toString(),
        "--partitions", String.valueOf(partitions)));
    List<String> loop = cat(loopOptions.equals("batch") ? batchOptions : List.of(), List.of("-cp",
        System.getProperty("java.class.path"), ColdBench.class.getName(), data.toString(),
        gen.resolve("churn-params.json").toString(), DIR.resolve("loop.csv").toString()));
    double[] b = new double[rounds];
    double[] p = new double[rounds];
    for (int r = -1; r < rounds; r++) {
      double bs = seconds(busflow, DIR.resolve("busflow.jsa"), r < 0);
      double ps = seconds(loop, DIR.resolve("loop.jsa"), r < 0);
      System.out.printf("  round %s: busflow %.2f s   plain loop %.2f s%n", r < 0 ? "archive" : Integer.toString(r + 1),
          bs, ps);
      if (r >= 0) {
        b[r] = bs;
        p[r] = ps;
      }
    }
    int differ = W1Bench.python(workloads.resolve("compare_outputs.py").toString(), DIR.resolve("busflow.csv").toString(),
        DIR.resolve("loop.csv").toString());
    System.out.println(differ == 0 ? "outputs agree (compare_outputs.py)" : "OUTPUTS DIFFER (compare_outputs.py)");
    double busflowS = Stats.median(b);
    double loopS = Stats.median(p);
    System.out.printf("median: busflow %.2f s, plain loop %.2f s, ratio %.2f (busflow / loop)%n", busflowS, loopS,
        busflowS / loopS);
    System.out.printf("cold rows=%d busflow_s=%.3f baseline_s=%.3f ratio=%.2f outputs_agree=%b partitions=%s "
        + "loop_options=%s%n", rows, busflowS, loopS, busflowS / loopS, differ == 0, partitions, loopOptions);
    if (differ != 0) {
      System.exit(1);
    }
  }

  /**
   * The JVM options {@code run.sh} gives its batch commands: {@code BATCH_JAVA_OPTS}, which it exports;
   * none when the bench was started without run.sh.
   */
  private static List<String> batchOptions() {
    String opts = System.getenv().getOrDefault("BATCH_JAVA_OPTS", "").trim();
    return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
  }

  private static List<String> cat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A score pipeline of the W1 artifacts, its paths under the data root {@code target/bench}. */
  private static JsonObject pipeline(Path gen, Path data) {
    String dir = gen.getFileName().toString();
    return new JsonObject().put("name", "w1-cold").put("mode", "score").put("id", "customer_id")
        .put("source", dir + "/" + data.getFileName())
        .put("preprocessing", new JsonObject().put("path", dir + "/w1-preprocessor.json"))
        .put("model", new JsonObject().put("path", dir + "/w1-model.json"))
        .put("output", new JsonObject().put("path", "busflow.csv").put("decimals", 6).put("label", false))
        .put("batchSize", 10_000).put("batchesInFlight", 4);
  }

  /** The wall time of one process running {@code command}, writing ({@code dump}) or mapping its CDS archive. */
  private static double seconds(List<String> command, Path archive, boolean dump) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        (dump ? "-XX:ArchiveClassesAtExit=" : "-XX:SharedArchiveFile=") + archive, "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off", "-XX:+ExitOnOutOfMemoryError"));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(DIR.resolve("last-process.log").toFile());
    pb.environment().put("BUSFLOW_DATA__OUTPUT_ROOTS", "[\"" + DIR + "\"]");
    long start = System.nanoTime();
    Process process = pb.start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("'" + String.join(" ", command) + "' failed; see " + DIR.resolve("last-process.log"));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The plain loop's process: {@code DATA PARAMS OUTPUT}. */
  public static void main(String[] args) throws IOException {
    Map<String, Object> params = JsonShapes.toMap(new JsonObject(Files.readString(Path.of(args[1]))));
    new W1Baseline(params).run(Path.of(args[0]), Path.of(args[2]), "customer_id");
  }
}
