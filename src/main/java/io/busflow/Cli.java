package io.busflow;

import ch.qos.logback.classic.Level;
import io.busflow.examples.TutorialActors;
import io.busflow.pipeline.client.PipelineFiles;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The command line behind {@code run.sh}: runs one job on an embedded node (configured by
 * {@code conf/busflow.json}) and exits with its status: 0 when the job succeeded, 1 when it failed or was
 * refused, 2 for a usage error. A batch job opens no port: the HTTP bridge runs only with {@code --http} (on
 * the configured {@code http.port}) or {@code --port N}, so two jobs, or a job beside {@code ./run.sh serve},
 * run at once. Every subcommand has {@code --help}.
 */
@Command(name = "./run.sh", usageHelpAutoWidth = true,
    description = "busflow's command line: one job on an embedded node, configured by conf/busflow.json.",
    subcommands = {Cli.Demo.class, Cli.Pipeline.class, Cli.Score.class, Cli.Tutorial.class, Cli.ClusterDemoCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit status: 0 the job succeeded, 1 it failed or was refused, 2 usage error.",
        "Batch jobs open no port unless given --http or --port."})
public final class Cli implements Callable<Integer> {

  static final String DEMO = "churn-demo";

  private final PrintStream out;

  private Cli(PrintStream out) {
    this.out = out;
  }

  /** {@code -h}/{@code --help} on every command. */
  static final class Help {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
  }

  @Mixin
  Help help = new Help();

  /** The options that open the HTTP bridge while a job runs. */
  static final class HttpOptions {
    @Option(names = "--http", description = "open the HTTP bridge on the configured http.host:http.port while the "
        + "job runs (default: no port is opened)")
    boolean http;

    @Option(names = "--port", paramLabel = "PORT", description = "open the HTTP bridge on PORT (0: any free port) "
        + "while the job runs; implies --http")
    Integer port;

    boolean opensPort() {
      return http || port != null;
    }

    BusflowNode node() {
      if (port != null) {
        return BusflowNode.withHttpPort(port);
      }
      return http ? new BusflowNode() : BusflowNode.withoutHttp();
    }
  }

  @Override
  public Integer call() throws Exception {
    Demo demo = new Demo();
    demo.cli = this;
    return demo.call();
  }

  public static void main(String[] args) {
    String[] line = args.length == 0 ? new String[] {"demo"} : args;
    // a job command sets up logging on the early node's thread, while picocli reads the line here
    if (!EarlyNode.startFor(line)) {
      quietUnlessAsked();
    }
    System.exit(execute(System.out, System.err, line));
  }

  /** Runs the command line {@code args}; returns the exit status. */
  static int execute(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new Cli(out));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionStrategy(parsed -> {
      EarlyNode.awaitLogging();
      return new CommandLine.RunLast().execute(parsed);
    });
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("busflow: " + e.getMessage());
      return 1;
    });
    return cl.execute(args);
  }

  /**
   * busflow logs at WARN on the command line, unless BUSFLOW_LOG_LEVEL says otherwise; a job's own end is
   * in the summary, so its log line is left out. The first use of logging, so it sets logback up too.
   */
  static void quietUnlessAsked() {
    if (System.getenv("BUSFLOW_LOG_LEVEL") == null) {
      setLevel("io.busflow", Level.WARN);
      setLevel("io.busflow.pipeline.coordinator.Job", Level.ERROR);
    }
  }

  private static void setLevel(String logger, Level level) {
    if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(level);
    }
  }

  @Command(name = "demo",
      description = "The bundled churn-demo pipeline (conf/pipelines/churn-demo.json): train, evaluate, score.")
  static final class Demo implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Mixin
    Help help = new Help();

    @Mixin
    HttpOptions http = new HttpOptions();

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(Path.of("data", "out"));
      cli.out.println("busflow demo: pipeline '" + DEMO + "' (conf/pipelines/" + DEMO
          + ".json) on data/churn-20000.csv");
      return runJob(new PipelineProtocol.Run(DEMO, null, null, new JsonObject()), http, cli.out);
    }
  }

  @Command(name = "pipeline",
      description = "Run the pipeline declared in FILE (see conf/pipelines/*.json).")
  static final class Pipeline implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Mixin
    Help help = new Help();

    @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline file")
    String file;

    @Option(names = "--mode", paramLabel = "MODE", description = "train, score or train-then-score (default: the "
        + "file's mode)")
    String mode;

    @Option(names = "--source", paramLabel = "S", description = "the training source instead of the file's")
    String source;

    @Option(names = "--score-source", paramLabel = "S", description = "the source to score instead of the file's")
    String scoreSource;

    @Option(names = "--output", paramLabel = "O", description = "where predictions go instead of the file's output")
    String output;

    @Option(names = "--partitions", paramLabel = "N", description = PARTITIONS_HELP)
    String partitions;

    @Mixin
    HttpOptions http = new HttpOptions();

    @Override
    public Integer call() throws Exception {
      JsonObject overrides = new JsonObject();
      putIfGiven(overrides, "mode", mode);
      putIfGiven(overrides, "source", source == null ? null : local(source));
      putIfGiven(overrides, "scoreSource", scoreSource == null ? null : local(scoreSource));
      putIfGiven(overrides, "output", output == null ? null : local(output));
      putPartitions(overrides, partitions);
      return runJob(new PipelineProtocol.Run(null, readDefinition(file), null, overrides), http, cli.out);
    }
  }

  @Command(name = "score",
      description = "Apply FILE's saved preprocessor and model to SOURCE, writing OUTPUT (default: the file's).")
  static final class Score implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Mixin
    Help help = new Help();

    @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline file whose saved model to use")
    String file;

    @Parameters(index = "1", paramLabel = "SOURCE", description = "the rows to score (CSV or JSON Lines)")
    String source;

    @Parameters(index = "2", paramLabel = "OUTPUT", arity = "0..1", description = "where predictions go")
    String output;

    @Option(names = "--partitions", paramLabel = "N", description = PARTITIONS_HELP)
    String partitions;

    @Mixin
    HttpOptions http = new HttpOptions();

    @Override
    public Integer call() throws Exception {
      JsonObject overrides = new JsonObject().put("mode", "score").put("scoreSource", local(source));
      putIfGiven(overrides, "output", output == null ? null : local(output));
      putPartitions(overrides, partitions);
      return runJob(new PipelineProtocol.Run(null, readDefinition(file), null, overrides), http, cli.out);
    }
  }

  @Command(name = "tutorial",
      description = "The tutorial's three-actor chain over the event bus, working.")
  static final class Tutorial implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Mixin
    Help help = new Help();

    @Override
    public Integer call() throws Exception {
      return tutorial(cli.out);
    }
  }

  @Command(name = "cluster-demo",
      description = "The demo across three clustered JVMs on 127.0.0.1, one per node role.")
  static final class ClusterDemoCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Mixin
    Help help = new Help();

    @Override
    public Integer call() throws Exception {
      return ClusterDemo.run(cli.out);
    }
  }

  static final String PARTITIONS_HELP = "read, score and write the scored source in N pieces at once (a number, or "
      + "auto: one per core) instead of the file's partitions";

  /** {@code --partitions}: a number as a number, anything else as given (the definition's check names it). */
  private static void putPartitions(JsonObject overrides, String value) {
    if (value != null) {
      overrides.put("partitions", value.matches("[0-9]{1,9}") ? (Object) Integer.parseInt(value) : value);
    }
  }

  private static void putIfGiven(JsonObject overrides, String key, String value) {
    if (value != null) {
      overrides.put(key, value);
    }
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
    JsonObject def = PipelineFiles.parse(file, Files.readString(p));
    if (!def.containsKey("name")) {
      def.put("name", p.getFileName().toString().replaceFirst("\\.json$", ""));
    }
    return def;
  }

  /**
   * Runs one job on an embedded node, showing its progress and its summary: the node {@link EarlyNode} started
   * while the command line was read, when {@code http} opens no port, else a new one.
   */
  static int runJob(PipelineProtocol.Run run, HttpOptions http, PrintStream out) throws Exception {
    EarlyNode.Started early = http.opensPort() ? null : EarlyNode.take();
    Vertx vertx = early != null ? early.vertx() : Vertx.vertx(vertxOptions());
    Future<String> deployed = early != null ? early.deployed() : vertx.deployVerticle(http.node(), new DeploymentOptions());
    JobConsole console = new JobConsole(out, System.console() != null, JobConsole.width(System.getenv("COLUMNS")));
    JsonObject report;
    try {
      report = deployed
          .compose(id -> PipelineClient.run(vertx, run, console::progress))
          .toCompletionStage().toCompletableFuture().get(24, TimeUnit.HOURS);
    } catch (ExecutionException e) {
      close(vertx);
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
    close(vertx); // before the summary, so that nothing Vert.x logs while closing lands inside it
    console.summary(report);
    return "succeeded".equals(report.getString("state")) ? 0 : 1;
  }

  private static void close(Vertx vertx) throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * The embedded node's Vert.x options: the defaults, except that the system property
   * {@code busflow.maxEventLoopMs} lowers the time an event loop may run before Vert.x warns (tests use it).
   */
  static VertxOptions vertxOptions() {
    VertxOptions o = new VertxOptions();
    Long ms = Long.getLong("busflow.maxEventLoopMs");
    if (ms != null) {
      o.setMaxEventLoopExecuteTime(ms).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
          .setBlockedThreadCheckInterval(Math.max(10, ms / 4));
    }
    return o;
  }

  /** The tutorial's chain, working: three actors on one node, request-reply over the event bus. */
  static int tutorial(PrintStream out) throws Exception {
    Vertx vertx = Vertx.vertx(vertxOptions());
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
