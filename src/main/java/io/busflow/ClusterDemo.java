package io.busflow;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.PipelineClient;
import io.busflow.pipeline.PipelineProtocol;
import io.busflow.pipeline.model.ModelProtocol;
import io.busflow.pipeline.preprocess.PreprocessProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run.sh cluster-demo}: three JVMs on 127.0.0.1, one per node role of {@code conf/nodes} — this one
 * the coordinator (coordinator, loader, HTTP on a free port), two started here with the launcher's
 * {@code -cluster}: the preprocessor and the model node. Waits until both are up and their stages answer,
 * runs the demo pipeline across them, prints which node handled each stage's batches and the job's metrics,
 * then stops the two nodes with SIGTERM (they drain and leave) and leaves the cluster. Every JVM joins a
 * cluster with a random name, so the demo never mixes with another cluster on the machine. The nodes' logs
 * are in {@code target/cluster-demo/}.
 */
final class ClusterDemo {

  private static final Path LOGS = Path.of("target", "cluster-demo");
  private static final long READY_MS = 120_000;

  private final PrintStream out;
  private final String cluster = "busflow-demo-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Process> nodes = new ArrayList<>();

  private ClusterDemo(PrintStream out) {
    this.out = out;
  }

  static int run(PrintStream out) throws Exception {
    return new ClusterDemo(out).run();
  }

  private int run() throws Exception {
    Files.createDirectories(LOGS);
    Files.createDirectories(Path.of("data", "out"));
    quietHazelcast();
    out.println("busflow cluster demo: cluster '" + cluster + "' on 127.0.0.1, one JVM per role of conf/nodes/");
    Vertx vertx = null;
    try {
      Process pre = startNode("preprocessor");
      Process model = startNode("model");
      System.setProperty("busflow.cluster.name", cluster);
      vertx = Vertx.builder().buildClustered().toCompletionStage().toCompletableFuture().get(READY_MS, TimeUnit.MILLISECONDS);
      Vertx v = vertx;
      JsonObject report = v.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(coordinatorConfig()))
          .onSuccess(id -> out.println("  node coordinator: up (this JVM, pid " + ProcessHandle.current().pid() + ")"))
          .compose(id -> Future.all(ready(v, pre, "preprocessor", PreprocessProtocol.ADDRESS),
              ready(v, model, "model", ModelProtocol.ADDRESS)))
          .compose(all -> runDemo(v))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      return "succeeded".equals(report.getString("state")) ? 0 : 1;
    } finally {
      stopNodes();
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      out.println("  coordinator left the cluster; node logs in " + LOGS + "/");
    }
  }

  /** Hazelcast warns about other clusters on this machine and about members leaving: expected here. */
  private static void quietHazelcast() {
    if (System.getenv("BUSFLOW_LOG_LEVEL") == null
        && org.slf4j.LoggerFactory.getLogger("com.hazelcast") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  private Process startNode(String role) throws IOException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-Djava.net.preferIPv4Stack=true",
        "-cp", System.getProperty("java.class.path"), "io.vertx.launcher.application.VertxApplication",
        BusflowNode.class.getName(), "-cluster", "-conf", "conf/nodes/" + role + ".json")
        .redirectErrorStream(true).redirectOutput(LOGS.resolve(role + ".log").toFile());
    pb.environment().put("BUSFLOW_CLUSTER_NAME", cluster);
    pb.environment().put("BUSFLOW_LOG_LEVEL", "INFO");
    Process p = pb.start();
    nodes.add(p);
    return p;
  }

  /** The coordinator role, its HTTP bridge on a free port so that the demo never clashes with a server. */
  private static JsonObject coordinatorConfig() throws IOException {
    JsonObject c = new JsonObject(Files.readString(Path.of("conf", "nodes", "coordinator.json")));
    c.getJsonObject("http").put("port", 0);
    return c;
  }

  /** Completes when {@code process} logged that it is up and its stage answers from this JVM. */
  private Future<Void> ready(Vertx vertx, Process process, String role, String address) {
    long deadline = System.currentTimeMillis() + READY_MS;
    return untilLogged(vertx, process, role, deadline)
        .compose(v -> untilAnswering(vertx, role, address, deadline))
        .onSuccess(v -> out.println("  node " + role + ": up (pid " + process.pid() + "), " + address + " answers"));
  }

  private Future<Void> untilLogged(Vertx vertx, Process process, String role, long deadline) {
    return vertx.fileSystem().readFile(LOGS.resolve(role + ".log").toString()).compose(text -> {
      if (text.toString().contains("' up: ")) {
        return Future.succeededFuture();
      }
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new IllegalStateException("the " + role + " node did not start (see "
            + LOGS.resolve(role + ".log") + "):\n" + text));
      }
      return vertx.timer(200).compose(t -> untilLogged(vertx, process, role, deadline));
    });
  }

  /** Asks {@code describe} of an unknown id: NOT_FOUND is the stage's own answer, NO_ACTOR means not yet. */
  private Future<Void> untilAnswering(Vertx vertx, String role, String address, long deadline) {
    JsonObject probe = new JsonObject().put("op", "describe").put(address.equals(ModelProtocol.ADDRESS)
        ? "model" : "preprocessor", "cluster-demo-probe");
    return ActorRef.of(vertx, address).ask(probe, Duration.ofSeconds(10)).<Void>mapEmpty().recover(t -> {
      boolean absent = t instanceof ActorException e && e.code() == ErrorCode.NO_ACTOR;
      if (!absent) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new IllegalStateException("the " + role + " node is up but " + address
            + " does not answer from the coordinator: " + t.getMessage()));
      }
      return vertx.timer(200).compose(x -> untilAnswering(vertx, role, address, deadline));
    });
  }

  private Future<JsonObject> runDemo(Vertx vertx) {
    out.println("running pipeline '" + Cli.DEMO + "' (conf/pipelines/" + Cli.DEMO + ".json) across the cluster");
    JobConsole console = new JobConsole(out, System.console() != null);
    var run = new PipelineProtocol.Run(Cli.DEMO, null, null, new JsonObject());
    return PipelineClient.run(vertx, run, console::progress).onSuccess(console::summary);
  }

  /** SIGTERM to every node started here: each drains its actors and leaves the cluster. */
  private void stopNodes() throws InterruptedException {
    nodes.forEach(Process::destroy);
    for (Process p : nodes) {
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      out.println("  node pid " + p.pid() + (exited ? " stopped by SIGTERM (exit " + p.exitValue() + ")"
          : " did not stop within 60 s; killed"));
      if (!exited) {
        p.destroyForcibly();
      }
    }
  }
}
