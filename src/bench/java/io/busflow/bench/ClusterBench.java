package io.busflow.bench;

import io.busflow.cluster.BusflowClusterManager;
import io.busflow.cluster.ClusterConfigs;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run.sh bench cluster}: W3 across two clustered JVMs on 127.0.0.1 — this JVM drives, a second JVM
 * (started here, same jar) hosts the busflow pong actor and the raw pong verticle — busflow asks beside raw
 * clustered {@code eventBus().request()} between the same two JVMs; then W1 with the preprocessor and model on
 * a second JVM beside all stages in one ({@link ClusterW1}). {@code --skip-w3 yes} / {@code --skip-w1 yes}
 * leave a part out.
 */
final class ClusterBench {

  static final String READY = "busflow-pong-node-ready";

  private ClusterBench() {}

  static void run(BenchArgs args) throws Exception {
    double w3 = args.string("skip-w3", null) != null ? Double.NaN : w3(args);
    double w1 = args.string("skip-w1", null) != null ? Double.NaN : ClusterW1.run(args);
    System.out.printf("cluster w3_ratio=%s w1_ratio=%s%n", ratio(w3), ratio(w1));
  }

  private static String ratio(double r) {
    return Double.isNaN(r) ? "NA" : String.format(Locale.ROOT, "%.2f", r);
  }

  /** The W3 part; returns the ratio of the medians, busflow over raw Vert.x. */
  private static double w3(BenchArgs args) throws Exception {
    String cluster = "busflow-bench-" + UUID.randomUUID();
    Process pongNode = startPongNode(cluster);
    Vertx vertx = null;
    try {
      awaitReady(pongNode);
      vertx = PingBench.await(clustered(cluster));
      double[] medians = PingBench.measure(vertx, args, "W3 ping across two clustered JVMs");
      PingBench.report("cluster w3", "w3-cluster.json", args, medians[0], medians[1]);
      return medians[0] / medians[1];
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      pongNode.getOutputStream().close();
      if (!pongNode.waitFor(30, TimeUnit.SECONDS)) {
        pongNode.destroyForcibly();
      }
    }
  }

  /** The second JVM's main: pongs on a clustered Vert.x until its standard input closes. */
  static void pongNode(String cluster) throws Exception {
    Vertx vertx = PingBench.await(clustered(cluster));
    PingBench.deployPongs(vertx);
    System.out.println(READY);
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the driver to close our input
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A clustered Vert.x joining {@code cluster} on 127.0.0.1. */
  static io.vertx.core.Future<Vertx> clustered(String cluster) {
    return Vertx.builder()
        .withClusterManager(new BusflowClusterManager(ClusterConfigs.loopback(cluster)))
        .buildClustered();
  }

  private static Process startPongNode(String cluster) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(java, "-Xmx512m", "-Djava.net.preferIPv4Stack=true", "-cp",
        System.getProperty("java.class.path"), Bench.class.getName(), "pong-node", cluster)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static void awaitReady(Process node) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals(READY)) {
        return;
      }
    }
    throw new IllegalStateException("the pong node exited before it was ready (exit " + node.waitFor() + ")");
  }
}
