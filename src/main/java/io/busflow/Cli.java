package io.busflow;

import ch.qos.logback.classic.Level;
import io.busflow.examples.TutorialActors;
import io.busflow.pipeline.PipelineClient;
import io.busflow.pipeline.PipelineProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The command line behind {@code run.sh}: runs one job on an embedded node (configured by
 * {@code conf/busflow.json}) and exits with its status: 0 when the job succeeded, 1 when it failed or was
 * refused, 2 for a usage error.
 *
 * <pre>
 *   demo                                  the bundled churn-demo pipeline (train, evaluate, score)
 *   pipeline FILE [--mode M] [--source S] [--score-source S] [--output O]
 *   score FILE SOURCE [OUTPUT]            FILE's saved preprocessor and model applied to SOURCE
 *   tutorial                              the tutorial's three-actor chain over the event bus
 *   cluster-demo                          the demo across three clustered JVMs, one per node role
 * </pre>
 */
public final class Cli {

  static final String DEMO = "churn-demo";

  private Cli() {}

  public static void main(String[] args) throws Exception {
    String cmd = args.length == 0 ? "demo" : args[0];
    String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
    quietUnlessAsked();
    int status;
    try {
      status = switch (cmd) {
        case "demo" -> demo(System.out);
        case "pipeline" -> pipeline(rest, System.out);
        case "score" -> score(rest, System.out);
        case "tutorial" -> tutorial(System.out);
        case "cluster-demo" -> ClusterDemo.run(System.out);
        default -> usage("unknown command '" + cmd + "'");
      };
    } catch (IllegalArgumentException e) {
      status = usage(e.getMessage());
    } catch (Exception e) {
      System.err.println("busflow: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  /**
   * busflow logs at WARN on the command line, unless BUSFLOW_LOG_LEVEL says otherwise; a job's own end is
   * in the summary, so its log line is left out.
   */
  private static void quietUnlessAsked() {
    if (System.getenv("BUSFLOW_LOG_LEVEL") == null) {
      setLevel("io.busflow", Level.WARN);
      setLevel("io.busflow.pipeline.Job", Level.ERROR);
    }
  }

  private static void setLevel(String logger, Level level) {
    if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(level);
    }
  }

  private static int usage(String problem) {
    System.err.println("busflow: " + problem + "\nusage: ./run.sh [demo]\n"
        + "       ./run.sh pipeline FILE [--mode train|score|train-then-score] [--source S] [--score-source S] "
        + "[--output O]\n       ./run.sh score FILE SOURCE [OUTPUT]\n       ./run.sh tutorial\n       ./run.sh cluster-demo");
    return 2;
  }

  /** The bundled demo pipeline, conf/pipelines/churn-demo.json, on the bundled data. */
  static int demo(PrintStream out) throws Exception {
    Files.createDirectories(Path.of("data", "out"));
    out.println("busflow demo: pipeline '" + DEMO + "' (conf/pipelines/" + DEMO + ".json) on data/churn-20000.csv");
    return runJob(new PipelineProtocol.Run(DEMO, null, null, new JsonObject()), out);
  }

  static int pipeline(String[] args, PrintStream out) throws Exception {
    if (args.length == 0 || args.length % 2 == 0) {
      throw new IllegalArgumentException("pipeline needs a pipeline file, then --name value options");
    }
    JsonObject overrides = new JsonObject();
    for (int i = 1; i < args.length; i += 2) {
      overrides.put(option(args[i]), args[i].equals("--mode") ? args[i + 1] : local(args[i + 1]));
    }
    return runJob(new PipelineProtocol.Run(null, readDefinition(args[0]), null, overrides), out);
  }

  private static String option(String flag) {
    return switch (flag) {
      case "--mode" -> "mode";
      case "--source" -> "source";
      case "--score-source" -> "scoreSource";
      case "--output" -> "output";
      default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
    };
  }

  static int score(String[] args, PrintStream out) throws Exception {
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException("score needs a pipeline file and a source, and optionally an output");
    }
    JsonObject overrides = new JsonObject().put("mode", "score").put("scoreSource", local(args[1]));
    if (args.length == 3) {
      overrides.put("output", local(args[2]));
    }
    return runJob(new PipelineProtocol.Run(null, readDefinition(args[0]), null, overrides), out);
  }

  /**
   * A path given on the command line: one with a directory part that exists here ({@code data/out/x.csv})
   * is taken from the working directory (made absolute; it must still lie inside the roots); a bare name
   * ({@code x.csv}) is looked up in the roots, as in pipeline files.
   */
  static String local(String path) {
    Path p = Path.of(path);
    Path parent = p.getParent();
    return parent != null && !p.isAbsolute() && Files.isDirectory(parent) ? p.toAbsolutePath().toString() : path;
  }

  private static JsonObject readDefinition(String file) throws IOException {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new IOException("pipeline file '" + file + "' does not exist; see conf/pipelines/ for examples");
    }
    JsonObject def = new JsonObject(Files.readString(p));
    if (!def.containsKey("name")) {
      def.put("name", p.getFileName().toString().replaceFirst("\\.json$", ""));
    }
    return def;
  }

  /** Runs one job on an embedded node, showing its progress and its summary. */
  private static int runJob(PipelineProtocol.Run run, PrintStream out) throws Exception {
    Vertx vertx = Vertx.vertx();
    JobConsole console = new JobConsole(out, System.console() != null);
    try {
      JsonObject report = vertx.deployVerticle(new BusflowNode(), new DeploymentOptions())
          .compose(id -> PipelineClient.run(vertx, run, console::progress))
          .toCompletionStage().toCompletableFuture().get(24, TimeUnit.HOURS);
      console.summary(report);
      return "succeeded".equals(report.getString("state")) ? 0 : 1;
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("busflow: " + e.getCause().getMessage());
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The tutorial's chain, working: three actors on one node, request-reply over the event bus. */
  static int tutorial(PrintStream out) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String reply = vertx.deployVerticle(BusflowNode.withoutHttp(), new DeploymentOptions())
          .compose(id -> TutorialActors.chain(vertx, "data.csv"))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      out.println(reply);
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
