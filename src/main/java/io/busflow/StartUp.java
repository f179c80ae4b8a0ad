package io.busflow;

import io.busflow.http.PrometheusMetrics;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.List;

/**
 * The first use of what a node's start-up needs, done on a worker thread before the event loops need it:
 * loading and initialising classes (vert.x-web's router and SockJS bridge, Micrometer's registry) and seeding
 * the JDK's {@link SecureRandom}. Each costs a few hundred milliseconds on an idle machine and seconds on a
 * busy one, long enough for Vert.x's blocked-thread checker when done on an event loop.
 */
final class StartUp {

  private static final List<String> HTTP_CLASSES = List.of(
      "io.vertx.ext.web.impl.RouterImpl", "io.vertx.ext.web.impl.RoutingContextImpl",
      "io.vertx.ext.web.handler.impl.BodyHandlerImpl", "io.vertx.ext.web.handler.impl.CorsHandlerImpl",
      "io.vertx.ext.web.handler.sockjs.impl.SockJSImpl", "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl",
      "io.vertx.ext.bridge.PermittedOptions", "io.vertx.ext.auth.prng.VertxContextPRNG",
      "io.vertx.core.http.impl.HttpServerImpl");

  private StartUp() {}

  /** Blocking: warms up what the HTTP bridge uses when {@code http}, and the node's metrics registry. */
  static void warm(Vertx vertx, boolean http) {
    if (!http) {
      return;
    }
    ClassLoader loader = StartUp.class.getClassLoader();
    for (String name : HTTP_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // a class renamed in another Vert.x version: only a warm-up is lost
      }
    }
    new SecureRandom().nextLong();
    PrometheusMetrics.registry(vertx);
  }
}
