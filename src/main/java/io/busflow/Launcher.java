package io.busflow;

import io.busflow.http.PrometheusMetrics;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * busflow's entry point and the jar's Main-Class: the Vert.x launcher ({@link VertxApplication}, same options:
 * {@code -conf}, {@code -cluster}, {@code -options}, …) with three additions. It turns on Vert.x's Micrometer
 * metrics with a Prometheus registry, so that {@code GET /metrics} shows event-bus and HTTP-server series beside
 * the actors' and the JVM's (metrics options given with {@code -options} win). A {@code -conf} that names no
 * file (and is no inline JSON) fails start-up with exit status 2, where the plain launcher warns and runs the
 * default configuration. And it says when the node stops and when it has stopped. {@code -instances N} is
 * refused by {@link BusflowNode} itself (one node per Vert.x instance).
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
  private long stopping;

  public Launcher(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    Optional<String> problem = confProblem(args);
    if (problem.isPresent()) {
      System.err.println("busflow: " + problem.get());
      System.exit(2);
    }
    new Launcher(args).launch();
  }

  /** What is wrong with the {@code -conf} argument: a path to no regular file, or nothing after it. */
  static Optional<String> confProblem(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = a.startsWith("-conf=") || a.startsWith("--conf=") ? a.substring(a.indexOf('=') + 1)
          : (a.equals("-conf") || a.equals("--conf")) ? (i + 1 < args.length ? args[i + 1] : null) : "{}";
      if (value == null) {
        return Optional.of(a + " needs a file (or inline JSON) after it");
      }
      if (!value.strip().startsWith("{") && !Files.isRegularFile(Path.of(value))) {
        return Optional.of("configuration file '" + value + "' (" + a.replaceFirst("=.*", "") + ") does not exist in "
            + Path.of("").toAbsolutePath() + "; give an existing file such as conf/busflow.json, or inline JSON");
      }
    }
    return Optional.empty();
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    PrometheusMetrics.enable(context.vertxOptions());
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    stopping = System.nanoTime();
    LOG.info("stopping: draining actors and closing the HTTP bridge …");
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    LOG.info("stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
  }
}
