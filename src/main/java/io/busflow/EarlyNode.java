package io.busflow;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded node of a batch command started on a thread of its own while picocli reads the command line.
 * A cold start spends about a fifth of a second in picocli (its classes are Java 5 class files, which the
 * JDK's class data sharing cannot archive and the old verifier checks one by one) and about as long starting
 * Vert.x and deploying the node's actors on the one busy core; the second core can do the latter meanwhile.
 *
 * <p>Only for what would start the same node anyway: the job commands ({@code demo}, {@code pipeline},
 * {@code score}) without {@code --http}, {@code --port} or {@code --help}. {@link Cli#runJob} takes it once; a
 * command line picocli refuses ends the process, and the node with it.
 */
final class EarlyNode {

  private static final Set<String> JOB_COMMANDS = Set.of("demo", "pipeline", "score");
  private static final Set<String> OTHER_NODE = Set.of("--http", "-h", "--help");

  /** A Vert.x instance and the deployment of a node without HTTP on it (which may still be under way or fail). */
  record Started(Vertx vertx, Future<String> deployed) {}

  private static CompletableFuture<Started> started;
  /** Completed once the early node's thread has set logging up; complete when no early node was started. */
  private static CompletableFuture<Void> logging = CompletableFuture.completedFuture(null);

  private EarlyNode() {}

  /**
   * Starts the node of the command line {@code args} ahead of its parsing, when it is one of a batch job; returns
   * whether it did. The node's thread sets up logging first ({@link Cli#quietUnlessAsked}: logback's start-up,
   * about a tenth of a second), before anything on it can log, so that picocli's parsing overlaps that too.
   */
  static synchronized boolean startFor(String... args) {
    if (!wants(args)) {
      return false;
    }
    CompletableFuture<Started> f = new CompletableFuture<>();
    CompletableFuture<Void> loggingSet = new CompletableFuture<>();
    logging = loggingSet;
    Thread t = new Thread(() -> startInto(f, loggingSet), "busflow-early-start");
    t.setDaemon(true);
    t.start();
    started = f;
    return true;
  }

  private static void startInto(CompletableFuture<Started> f, CompletableFuture<Void> loggingSet) {
    try {
      f.complete(start(loggingSet));
    } catch (RuntimeException | Error e) {
      f.completeExceptionally(e);
    }
  }

  private static Started start(CompletableFuture<Void> loggingSet) {
    try {
      Cli.quietUnlessAsked();
    } finally {
      loggingSet.complete(null);
    }
    Vertx vertx = Vertx.vertx(Cli.vertxOptions());
    return new Started(vertx, vertx.deployVerticle(BusflowNode.withoutHttp(), new DeploymentOptions()));
  }

  static boolean wants(String... args) {
    if (args.length == 0 || !JOB_COMMANDS.contains(args[0])) {
      return false;
    }
    for (String a : args) {
      if (OTHER_NODE.contains(a) || a.startsWith("--port")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until logging is set up, for the command line's thread to call before it runs a command: a class that
   * logs while the early thread is still setting logback up would get one of SLF4J's stand-in loggers, and SLF4J
   * would print a warning about replaying its calls to standard error.
   */
  static void awaitLogging() {
    CompletableFuture<Void> f;
    synchronized (EarlyNode.class) {
      f = logging;
    }
    f.join();
  }

  /** The node started early, once; null when none was. */
  static synchronized Started take() {
    CompletableFuture<Started> f = started;
    started = null;
    return f == null ? null : f.join();
  }
}
