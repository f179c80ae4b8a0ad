package io.busflow;

import io.busflow.http.PrometheusMetrics;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * An optional entry point: the Vert.x launcher ({@link VertxApplication}, same options: {@code -conf},
 * {@code -cluster}, {@code -options}, …) that also turns on Vert.x's Micrometer metrics with a Prometheus
 * registry, so that {@code GET /metrics} shows event-bus and HTTP-server series beside the actors' and the
 * JVM's: {@code java -cp target/busflow.jar io.busflow.Launcher io.busflow.BusflowNode -conf …}. The jar's
 * Main-Class stays the plain {@code VertxApplication}; started that way, {@code /metrics} has the actor and
 * JVM series only. Metrics options given with {@code -options} win.
 */
public final class Launcher extends VertxApplication implements VertxApplicationHooks {

  public Launcher(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    new Launcher(args).launch();
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    PrometheusMetrics.enable(context.vertxOptions());
  }
}
