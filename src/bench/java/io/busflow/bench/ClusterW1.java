package io.busflow.bench;

import io.busflow.BusflowNode;
import io.busflow.cluster.NodeProcess;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The W1 part of {@code ./run.sh bench cluster}: the W1 score job with every stage in this JVM (a node from
 * conf/busflow.json, not clustered) beside the same job with the preprocessor and the model on a second JVM
 * (started here with the launcher's {@code -cluster}; this JVM a clustered coordinator + loader node from
 * conf/nodes/coordinator.json), alternating rounds. Both outputs must be byte for byte the same.
 * Options: {@code --rows} (1,000,000), {@code --w1-rounds} (5), {@code --w1-warmup} (15), {@code --batch} (10,000),
 * {@code --w1-inflight} (4), {@code --workloads}. Warm-up rounds matter: each round is a fraction of a second,
 * and the second JVM compiles its share of the code (its event bus, decoding, transforming, predicting) only
 * while the rounds run — on 2 cores its compiler threads take CPU from both sides for its first ~20 s.
 */
final class ClusterW1 {

  private static final Path DIR = W1Bench.DIR;

  private ClusterW1() {}

  /**
   * Runs the rounds; returns the median of the rounds' ratios, cluster over single node (each round runs
   * both sides back to back, so a ratio compares runs made under the same load on a shared machine).
   */
  static double run(BenchArgs args) throws Exception {
    W1Bench.quietUnlessAsked();
    long rows = args.number("rows", 1_000_000);
    int rounds = (int) args.number("w1-rounds", 5);
    int warmup = (int) args.number("w1-warmup", 15);
    BenchArgs w1 = BenchArgs.parse(new String[] {"--batch", Long.toString(args.number("batch", 10_000)),
        "--inflight", Long.toString(args.number("w1-inflight", 4))});
    Path data = W1Bench.prepare(args, rows).data();
    String cluster = "busflow-bench-" + UUID.randomUUID();
    NodeProcess stages = startStagesNode(cluster);
    Vertx single = Vertx.vertx();
    Vertx coordinator = null;
    try {
      W1Bench.await(single.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(singleNode())));
      coordinator = W1Bench.await(ClusterBench.clustered(cluster));
      W1Bench.await(coordinator.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(coordinatorNode())));
      W1Bench.await(stages.ready(coordinator, 120_000));
      System.out.printf("W1 across two clustered JVMs: %,d rows, %d rounds (+%d warm-up) per side, %d cores%n", rows,
          rounds, warmup, Runtime.getRuntime().availableProcessors());
      double[] one = new double[rounds];
      double[] two = new double[rounds];
      double[] ratios = new double[rounds];
      for (int r = -warmup; r < rounds; r++) {
        double a = W1Bench.busflowRound(single, data, DIR.resolve("w1-single.csv"), w1);
        double b = W1Bench.busflowRound(coordinator, data, DIR.resolve("w1-cluster.csv"), w1);
        if (r >= 0) {
          one[r] = a;
          two[r] = b;
          ratios[r] = b / a;
        }
        System.out.printf("  round %s: one JVM %,.0f rows/s   stages on a second JVM %,.0f rows/s   ratio %.2f%n",
            r < 0 ? "warm-up" : Integer.toString(r + 1), a, b, b / a);
      }
      boolean same = Files.mismatch(DIR.resolve("w1-single.csv"), DIR.resolve("w1-cluster.csv")) == -1;
      double ratio = Stats.median(ratios);
      System.out.printf("median: one JVM %,.0f rows/s, stages on a second JVM %,.0f rows/s; median of the rounds' ratios %.2f; outputs %s%n",
          Stats.median(one), Stats.median(two), ratio, same ? "identical" : "DIFFER");
      Files.writeString(DIR.resolve("w1-cluster.json"), new JsonObject().put("workload", "W1 cluster").put("rows", rows)
          .put("single_rows_per_s", Math.round(Stats.median(one))).put("cluster_rows_per_s", Math.round(Stats.median(two)))
          .put("ratio", ratio).put("outputs_identical", same).put("cores", Runtime.getRuntime().availableProcessors())
          .encodePrettily());
      if (!same) {
        throw new IllegalStateException("the clustered job's output differs from the single node's");
      }
      return ratio;
    } finally {
      single.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (coordinator != null) {
        coordinator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      stages.stop(30);
    }
  }

  /** conf/busflow.json without the HTTP bridge: every stage in this JVM. */
  private static JsonObject singleNode() throws IOException {
    return BenchConfig.node(Path.of("conf", "busflow.json"));
  }

  /** conf/nodes/coordinator.json without the HTTP bridge: the coordinator and the loader. */
  static JsonObject coordinatorNode() throws IOException {
    return BenchConfig.node(Path.of("conf", "nodes", "coordinator.json"));
  }

  /** The second JVM: conf/busflow.json's preprocessor and model (2 worker instances each), nothing else. */
  private static NodeProcess startStagesNode(String cluster) throws IOException {
    JsonObject all = new JsonObject(Files.readString(Path.of("conf", "busflow.json"))).getJsonObject("actors");
    JsonObject conf = BenchConfig.withBenchOutput(new JsonObject().put("node", new JsonObject().put("name", "stages"))
        .put("actors", new JsonObject().put("preprocess", all.getJsonObject("preprocess"))
            .put("model", all.getJsonObject("model"))));
    Path file = DIR.resolve("w1-stages-node.json");
    Files.writeString(file, conf.encodePrettily());
    return startNode(cluster, file, "w1-stages-node", "-Xmx1g");
  }

  /** A node of {@code conf/nodes/ROLE.json} named {@code name} in its own JVM, joining {@code cluster}. */
  static NodeProcess startRole(String cluster, String role, String name) throws IOException {
    return startNode(cluster, Path.of("conf", "nodes", role + ".json"), name, "-Xmx384m");
  }

  /** A node of the configuration {@code file} in its own JVM, joining {@code cluster}; its log in target/bench. */
  private static NodeProcess startNode(String cluster, Path file, String name, String heap) throws IOException {
    return NodeProcess.start(name, file, DIR, Map.of("BUSFLOW_CLUSTER_NAME", cluster, "BUSFLOW_NODE__NAME", name,
        "BUSFLOW_LOG_LEVEL", "INFO"), heap);
  }
}
