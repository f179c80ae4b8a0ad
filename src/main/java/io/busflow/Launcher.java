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

/**
 * An optional entry point: the Vert.x launcher ({@link VertxApplication}, same options: {@code -conf},
 * {@code -cluster}, {@code -options}, …) that also turns on Vert.x's Micrometer metrics with a Prometheus
 * registry, so that {@code GET /metrics} shows event-bus and HTTP-server series beside the actors' and the
 * JVM's: {@code java -cp target/busflow.jar io.busflow.Launcher io.busflow.BusflowNode -conf …}. The jar's
 * Main-Class stays the plain {@code VertxApplication}; started that way, {@code /metrics} has the actor and
 * JVM series only. Metrics options given with {@code -options} win. This launcher also switches on tracing
 * when the node's {@code tracing} section or the {@code OTEL_*} variables ask for it ({@link Tracing}), reading
 * the {@code -conf} file, else {@code conf/busflow.json}, before Vert.x starts.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  public Launcher(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    new Launcher(args).launch();
  }

  private TracingConfig tracing = TracingConfig.defaults();

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    try {
      JsonObject node = config == null || config.isEmpty() ? defaultFile() : config;
      tracing = TracingConfig.of(EnvOverrides.apply(node, System.getenv()));
    } catch (ConfigException | IOException | DecodeException e) {
      // the node's own start-up reports the bad key with its path; no tracing meanwhile
    }
    return config;
  }

  /** What the node reads when no {@code -conf} is given: {@code conf/busflow.json}, else nothing. */
  private static JsonObject defaultFile() throws IOException {
    Path file = Path.of(BusflowNode.DEFAULT_FILE);
    return Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return Tracing.apply(VertxApplicationHooks.super.createVertxBuilder(options), tracing, System.getenv());
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    PrometheusMetrics.enable(context.vertxOptions());
  }
}
