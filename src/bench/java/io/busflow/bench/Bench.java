package io.busflow.bench;

import java.util.Arrays;
import java.util.List;

/** Entry point of {@code ./run.sh bench NAME [options]}. */
public final class Bench {

  private static final String USAGE = "usage: ./run.sh bench ping|cluster [--requests N] [--inflight N] [--rounds N]\n"
      + "       ./run.sh bench w1 [--rows N] [--rounds N] [--batch N] [--inflight N] [--partitions N|auto]"
      + " [--workloads DIR]\n"
      + "       ./run.sh bench scale [--rows N] [--rounds N] [--max-partitions N] [--max-k N] [--cluster-warmup N]\n"
      + "                     [--cluster-partitions N] [--batch N] [--inflight N] [--workloads DIR]\n"
      + "       ./run.sh bench cold [--rows N] [--rounds N] [--partitions N|auto] [--workloads DIR]   (whole processes, cold JVMs)\n"
      + "       ./run.sh bench train [--rows N] [--partitions N|auto] [--rounds N] [--batch N] [--inflight N]"
      + " [--workloads DIR]\n"
      + "                     (a training job in 1 partition and in N, default 2: times, ratio, same model)\n"
      + "       ./run.sh bench w2 [--rounds N] [--duration SECONDS] [--connections N] [--sizes 1,64]\n"
      + "                     [--model logistic|onnx]   (onnx: the gradient-boosting ONNX fixture)";

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      System.exit(0);
    }
    if (args.length == 0) {
      System.err.println(USAGE);
      System.exit(2);
    }
    try {
      run(args[0], Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      System.err.println("busflow bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    } catch (Exception e) {
      // said here: the node's handler for uncaught failures would end the process without a word
      System.err.println("busflow bench " + args[0] + " failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String name, String[] rest) throws Exception {
    switch (name) {
      case "ping", "w3" -> PingBench.run(BenchArgs.parse(rest));
      case "cluster" -> ClusterBench.run(BenchArgs.parse(rest));
      case "pong-node" -> ClusterBench.pongNode(rest[0]);
      case "w1" -> W1Bench.run(BenchArgs.parse(rest));
      case "w2" -> W2Bench.run(BenchArgs.parse(rest));
      case "cold" -> ColdBench.run(BenchArgs.parse(rest));
      case "scale" -> ScaleBench.run(BenchArgs.parse(rest));
      case "train" -> TrainBench.run(BenchArgs.parse(rest));
      default -> {
        System.err.println("unknown benchmark '" + name + "'; available: ping, cluster, w1, w2, cold, scale, train");
        System.exit(2);
      }
    }
  }
}
