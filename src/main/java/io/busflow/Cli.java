package io.busflow;

import io.busflow.examples.TutorialActors;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** The command line behind {@code run.sh}: runs one job on an embedded node and exits with its status. */
public final class Cli {

  private Cli() {}

  public static void main(String[] args) throws Exception {
    String cmd = args.length == 0 ? "demo" : args[0];
    String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
    int status;
    try {
      status = switch (cmd) {
        case "demo" -> demo(System.out);
        default -> usage(cmd, rest);
      };
    } catch (Exception e) {
      System.err.println("busflow: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  private static int usage(String cmd, String[] rest) {
    System.err.println("busflow: unknown command '" + cmd + "' " + Arrays.toString(rest)
        + "; see ./run.sh help");
    return 2;
  }

  /** The tutorial's chain, working: three actors on one node, request-reply over the event bus. */
  static int demo(PrintStream out) throws Exception {
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
