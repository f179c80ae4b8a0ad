package io.busflow.bench;

import io.busflow.cluster.ClusterConfigs;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run.sh bench cluster}: W3 across two clustered JVMs on 127.0.0.1 — this JVM drives, a second JVM
 * (started here, same jar) hosts the busflow pong actor and the raw pong verticle — busflow asks beside raw
 * clustered {@code eventBus().request()} between the same two JVMs.
 */
final class ClusterBench {

  static final String READY = "busflow-pong-node-ready";

  private ClusterBench() {}

  static void run(BenchArgs args) throws Exception {
    String cluster = "busflow-bench-" + UUID.randomUUID();
    Process pongNode = startPongNode(cluster);
    Vertx vertx = null;
    try {
      awaitReady(pongNode);
      vertx = PingBench.await(clustered(cluster));
      double[] medians = PingBench.measure(vertx, args, "W3 ping across two clustered JVMs");
      PingBench.report("cluster w3", "w3-cluster.json", args, medians[0], medians[1]);
      System.out.printf("cluster w3_ratio=%.2f w1_ratio=NA%n", medians[0] / medians[1]);
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

  private static io.vertx.core.Future<Vertx> clustered(String cluster) {
    return Vertx.builder()
        .withClusterManager(new HazelcastClusterManager(ClusterConfigs.loopback(cluster)))
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
