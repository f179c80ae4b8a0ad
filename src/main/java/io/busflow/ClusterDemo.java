package io.busflow;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.cluster.NodeProcess;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private final List<NodeProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ClusterDemo(PrintStream out) {
    this.out = out;
    // Ctrl-C or SIGTERM to the demo: its nodes get SIGTERM too, instead of running on alone
    Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(NodeProcess::terminate), "cluster-demo-stop"));
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
      NodeProcess pre = startNode("preprocessor");
      NodeProcess model = startNode("model");
      System.setProperty("busflow.cluster.name", cluster);
      vertx = Vertx.builder().buildClustered().toCompletionStage().toCompletableFuture().get(READY_MS, TimeUnit.MILLISECONDS);
      Vertx v = vertx;
      JsonObject report = v.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(coordinatorConfig()))
          .onSuccess(id -> out.println("  node coordinator: up (this JVM, pid " + ProcessHandle.current().pid() + ")"))
          .compose(id -> Future.all(ready(v, pre, StageProtocol.PREPROCESS_ADDRESS), ready(v, model, StageProtocol.MODEL_ADDRESS)))
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

  private NodeProcess startNode(String role) throws IOException {
    NodeProcess p = NodeProcess.start(role, Path.of("conf", "nodes", role + ".json"), LOGS,
        Map.of("BUSFLOW_CLUSTER_NAME", cluster, "BUSFLOW_LOG_LEVEL", "INFO"), "-Xmx512m");
    nodes.add(p);
    return p;
  }

  /** The coordinator role, its HTTP bridge on a free port so that the demo never clashes with a server. */
  private static JsonObject coordinatorConfig() throws IOException {
    JsonObject c = new JsonObject(Files.readString(Path.of("conf", "nodes", "coordinator.json")));
    c.getJsonObject("http").put("port", 0);
    return c;
  }

  /** Completes when {@code node}'s stage answers from this JVM; fails when the node exits first. */
  private Future<Void> ready(Vertx vertx, NodeProcess node, String address) {
    return untilAnswering(vertx, node, address, System.currentTimeMillis() + READY_MS)
        .onSuccess(v -> out.println("  node " + node.name() + ": up (pid " + node.process().pid() + "), " + address
            + " answers"));
  }

  /** Asks {@code describe} of an unknown id: NOT_FOUND is the stage's own answer, NO_ACTOR means not yet. */
  private Future<Void> untilAnswering(Vertx vertx, NodeProcess node, String address, long deadline) {
    JsonObject probe = new JsonObject().put("op", "describe").put(address.equals(StageProtocol.MODEL_ADDRESS)
        ? "model" : "preprocessor", "cluster-demo-probe");
    return ActorRef.of(vertx, address).ask(probe, Duration.ofSeconds(10)).<Void>mapEmpty().recover(t -> {
      boolean absent = t instanceof ActorException e && e.code() == ErrorCode.NO_ACTOR;
      if (!absent) {
        return Future.succeededFuture();
      }
      if (!node.isAlive() || System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new IllegalStateException("the " + node.name() + " node "
            + (node.isAlive() ? "did not answer at " + address + " within " + READY_MS / 1000 + " s"
                : "exited (" + node.process().exitValue() + ")") + "; its log (" + LOGS.resolve(node.name() + ".log")
            + "):\n" + node.log()));
      }
      return vertx.timer(200).compose(x -> untilAnswering(vertx, node, address, deadline));
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
    for (NodeProcess p : nodes) {
      int exit = p.stop(60);
      out.println("  node " + p.name() + " (pid " + p.process().pid() + ") stopped by SIGTERM (exit " + exit + ")");
    }
  }
}
