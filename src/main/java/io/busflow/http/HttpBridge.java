package io.busflow.http;

import io.busflow.actor.FatalErrors;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP bridge verticle: REST API under {@code /api/v1}, the generic {@code POST /api/v1/bus/{address}},
 * the SockJS event-bus bridge at {@code /eventbus}, {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}. {@link #start()} completes when the port is bound; {@link #stop()} stops accepting
 * connections and gives requests in progress {@code http.shutdownTimeoutMs} to finish.
 */
public final class HttpBridge extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpBridge.class);
  /** The base OpenAPI document, a classpath resource. */
  static final String OPENAPI_RESOURCE = "io/busflow/http/openapi.json";

  private final HttpConfig config;
  private final List<ActorConfig> actors;
  private final List<ApiModule> modules;
  private volatile boolean stopping;
  private HttpServer server;

  /**
   * @param config the validated {@code http} section
   * @param actors the actors this node is configured to run (for readiness)
   * @param modules more routes, such as the pipeline API
   */
  public HttpBridge(HttpConfig config, List<ActorConfig> actors, List<ApiModule> modules) {
    this.config = config;
    this.actors = List.copyOf(actors);
    this.modules = List.copyOf(modules);
  }

  @Override
  public Future<?> start() {
    return openApi()
        .map(doc -> ApiRouter.create(vertx, config, doc, actors, modules, () -> stopping || FatalErrors.failed()))
        .compose(this::listen)
        .onSuccess(s -> {
          server = s;
          LOG.info("HTTP bridge listening on http://{}:{}{}", config.host(), s.actualPort(),
              config.keysRequired() ? " (API keys required on /api and /eventbus)" : "");
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return server == null ? Future.succeededFuture()
        : server.shutdown(Duration.ofMillis(config.shutdownTimeoutMs()));
  }

  /** The bound port (useful with {@code http.port: 0}); -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private Future<HttpServer> listen(Router router) {
    Admission admission = Admission.of(vertx, config);
    return vertx.createHttpServer(serverOptions())
        .connectionHandler(conn -> admission.connectionOpened(vertx, conn))
        .requestHandler(EarlyShed.before(router, admission, config)).listen()
        .recover(t -> Future.failedFuture(cannotListen(t)));
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/1.1 only: with cleartext HTTP/2 (h2c) on, Vert.x sets a connection up at its first bytes, so one
        // that never sends would go uncounted by http.limits.connections
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(config.eventbus().maxFrameBytes())
        .setMaxWebSocketMessageSize((int) Math.max(config.bodyLimitBytes(), config.eventbus().maxFrameBytes()));
  }

  /**
   * Read through the class loader on a worker: Vert.x's file system would unpack the jar's directories into its
   * file cache first (thousands of files to create at start and delete at stop, seconds on a slow disk).
   */
  private Future<JsonObject> openApi() {
    return vertx.executeBlocking(() -> withModules(resource(OPENAPI_RESOURCE), modules), false);
  }

  /** The JSON document at class-path resource {@code name}. Blocking. */
  static JsonObject resource(String name) throws IOException {
    try (InputStream in = HttpBridge.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new FileNotFoundException("class-path resource " + name + " is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The base document with every module's paths added. */
  static JsonObject withModules(JsonObject base, List<ApiModule> modules) {
    modules.forEach(m -> base.getJsonObject("paths").mergeIn(m.openApiPaths()));
    return base;
  }

  private ConfigException cannotListen(Throwable t) {
    return new ConfigException("http.port", "cannot listen on " + config.host() + ":" + config.port() + " ("
        + t.getMessage() + "); stop whatever uses the port, or choose another with http.port or "
        + "BUSFLOW_HTTP__PORT (0 picks a free one)");
  }
}
