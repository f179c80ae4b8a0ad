package io.busflow;

import io.busflow.config.ConfigException;
import io.busflow.config.EnvOverrides;
import io.busflow.config.TracingConfig;
import io.busflow.http.PrometheusMetrics;
import io.busflow.tracing.Tracing;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * busflow's launcher, what {@code ./run.sh serve} starts: the Vert.x launcher ({@link VertxApplication}, same
 * options: {@code -conf}, {@code -cluster}, {@code -options}, …) with additions. It turns on Vert.x's
 * Micrometer metrics with a Prometheus registry, so that {@code GET /metrics} shows event-bus and HTTP-server
 * series beside the actors' and the JVM's (metrics options given with {@code -options} win); it switches on
 * tracing when the node's {@code tracing} section or the {@code OTEL_*} variables ask for it ({@link Tracing}),
 * reading the {@code -conf} file, else {@code conf/busflow.json}, before Vert.x starts; a {@code -conf} that
 * names no file (and is no inline JSON) fails start-up with exit status 2, where the plain launcher warns and
 * runs the default configuration; and it says when the node stops and when it has stopped. The jar's
 * Main-Class stays the plain {@code VertxApplication} (started that way, none of these additions apply);
 * use {@code java -cp busflow.jar io.busflow.Launcher io.busflow.BusflowNode …} for them.
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

  private TracingConfig tracing = TracingConfig.defaults();

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    try {
      JsonObject node = config == null || config.isEmpty() ? BusflowNode.defaultConfig() : config;
      tracing = TracingConfig.of(EnvOverrides.apply(node, System.getenv()));
    } catch (ConfigException | IOException | DecodeException e) {
      // the node's own start-up reports the bad key with its path; no tracing meanwhile
    }
    return config;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    // metrics are set up with the builder, so that their registry is made (and filtered) before Vert.x uses it
    PrometheusMetrics.enable(options);
    return PrometheusMetrics.withRegistry(Tracing.apply(VertxApplicationHooks.super.createVertxBuilder(options), tracing,
        System.getenv()), options);
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
