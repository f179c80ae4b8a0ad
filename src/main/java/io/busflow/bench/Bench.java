package io.busflow.bench;

import java.util.Arrays;

/** Entry point of {@code ./run.sh bench NAME [options]}. */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: ./run.sh bench ping|cluster [--requests N] [--inflight N] [--rounds N]\n"
          + "       ./run.sh bench w1 [--rows N] [--rounds N] [--batch N] [--inflight N] [--workloads DIR]\n"
          + "       ./run.sh bench w2 [--rounds N] [--duration SECONDS] [--connections N] [--sizes 1,64]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "ping", "w3" -> PingBench.run(BenchArgs.parse(rest));
      case "cluster" -> ClusterBench.run(BenchArgs.parse(rest));
      case "pong-node" -> ClusterBench.pongNode(rest[0]);
      case "w1" -> W1Bench.run(BenchArgs.parse(rest));
      case "w2" -> W2Bench.run(BenchArgs.parse(rest));
      default -> {
        System.err.println("unknown benchmark '" + args[0] + "'; available: ping, cluster, w1, w2");
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
