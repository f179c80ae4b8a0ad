package io.busflow;

import io.busflow.http.PrometheusMetrics;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * The jar's Main-Class: the Vert.x launcher ({@link VertxApplication}, same options: {@code -conf},
 * {@code -cluster}, {@code -options}, …) that also turns on Vert.x's Micrometer metrics with a Prometheus
 * registry, so that {@code GET /metrics} shows event-bus and HTTP-server series beside the actors' and the
 * JVM's. Metrics options given with {@code -options} win. (Vert.x's pattern: subclass the launcher and
 * implement its hooks; the launcher finds {@code Main-Verticle} in the manifest whose Main-Class is this.)
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
