package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.busflow.actor.FatalErrors;
import io.busflow.config.ActorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Builds the bridge's router. The layout, top to bottom: correlation ids and the {@code Host} check on
 * everything; {@code /health/*} and {@code /metrics} (no key); {@code /eventbus/*} (fatal-error and origin checks,
 * SockJS); the fatal-error check and the origin check of state-changing requests; {@code /api/*} (CORS when
 * configured, API keys when configured, JSON bodies only) with the core routes, then each {@link ApiModule}'s
 * routes — the pipeline routes ({@code /api/v1/pipelines/{name}/predict}, {@code /api/v1/jobs…}) come as a
 * module; last, the one error mapper for failures, unknown routes and wrong methods. Checks that run for the same
 * requests share one route handler ({@link RequestCheck#all}).
 */
final class ApiRouter {

  static final String OPENAPI_PATH = "/api/v1/openapi.json";
  static final String ACTORS_PATH = "/api/v1/actors";

  private final Vertx vertx;
  private final HttpConfig config;
  private final ApiSupport support;
  private final ApiKeys keys;
  private final HostCheck hosts;

  private ApiRouter(Vertx vertx, HttpConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.support = new ApiSupport(vertx, config);
    this.keys = new ApiKeys(config.apiKeys());
    this.hosts = new HostCheck(config.allowedHosts());
  }

  /** The router of one HTTP verticle; {@code openApi} is the complete document (modules' paths merged). */
  static Router create(Vertx vertx, HttpConfig config, JsonObject openApi, List<ActorConfig> actors,
                       List<ApiModule> modules, BooleanSupplier stopping) {
    return new ApiRouter(vertx, config).build(openApi, actors, modules, stopping);
  }

  private Router build(JsonObject openApi, List<ActorConfig> actors, List<ApiModule> modules,
                       BooleanSupplier stopping) {
    Router r = Router.router(vertx);
    r.route().handler(RequestCheck.all(List.of(new Correlation(), hosts)));
    mountOps(r, actors, stopping);
    if (config.eventbus().enabled()) {
      mountEventBus(r);
    }
    r.route().handler(RequestCheck.all(apiChecks()));
    mountApi(r, openApi);
    modules.forEach(m -> m.mount(r, support));
    HttpErrors errors = new HttpErrors(config, r);
    r.route().failureHandler(errors::handle);
    r.errorHandler(404, errors::handle);
    r.errorHandler(405, errors::handle);
    return r;
  }

  private void mountOps(Router r, List<ActorConfig> actors, BooleanSupplier stopping) {
    Health health = new Health(vertx, actors, stopping);
    r.get("/health/live").handler(health::live);
    r.get("/health/ready").handler(health::ready);
    PrometheusMetrics metrics = PrometheusMetrics.of(vertx);
    Admission.of(vertx, config).bind(metrics.registry());
    r.get("/metrics").handler(ctx -> scrape(ctx, metrics));
  }

  /**
   * The checks of every request but health and metrics, in one route handler: the fatal-error check, the origin of
   * state-changing requests, and — unless CORS or API keys come before it — JSON bodies only on the API.
   */
  private List<RequestCheck> apiChecks() {
    List<RequestCheck> checks = new ArrayList<>(List.<RequestCheck>of(ApiRouter::unlessFailed,
        OriginCheck.api(config, hosts)));
    if (!contentTypeAfterKeys()) {
      checks.add(new ContentTypeCheck());
    }
    return checks;
  }

  /** Whether CORS or API keys are configured: they answer before the {@code Content-Type} check. */
  private boolean contentTypeAfterKeys() {
    return !config.corsOrigins().isEmpty() || keys.required();
  }

  /** After a fatal error ({@link FatalErrors}) the node halts in a moment: 503 STOPPING at once. */
  private static HttpFailure unlessFailed(RoutingContext ctx) {
    return !FatalErrors.failed() ? null : new HttpFailure(503, ErrorCode.STOPPING, "this node met a fatal error ("
        + FatalErrors.failure() + ") and is halting; retry on another node");
  }

  private void scrape(RoutingContext ctx, PrometheusMetrics metrics) {
    vertx.executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(text))
        .onFailure(ctx::fail);
  }

  private void mountEventBus(Router r) {
    EventBusBridge bridge = new EventBusBridge(config.eventbus(), keys);
    r.route(EventBusBridge.PATH).handler(RequestCheck.all(List.<RequestCheck>of(ApiRouter::unlessFailed,
            OriginCheck.bridge(config, hosts)))).handler(bridge::handshake)
        .handler(EventBusBridge.postBodies(support.body())).subRouter(bridge.router(vertx));
  }

  /**
   * {@code h} for requests under {@code /api/}, others passed on. A path-less route, so that the route label
   * of the HTTP metrics stays the matched API route ({@code /api/v1/bus/:address}), not a chain through
   * {@code /api/*}.
   */
  private static io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> apiOnly(
      io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> h) {
    return ctx -> {
      if (ctx.request().path().startsWith("/api/")) {
        h.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private void mountApi(Router r, JsonObject openApi) {
    if (!config.corsOrigins().isEmpty()) {
      r.route().handler(apiOnly(cors()));
    }
    if (keys.required()) {
      r.route().handler(apiOnly(keys));
    }
    if (contentTypeAfterKeys()) {
      r.route().handler(RequestCheck.all(List.of(new ContentTypeCheck())));
    }
    String doc = openApi.encode();
    r.get(OPENAPI_PATH).handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(doc));
    ActorsView view = new ActorsView(vertx, config);
    r.get(ACTORS_PATH).handler(support.timeout()).handler(ctx -> view.toJson()
        .onSuccess(json -> support.json(ctx, 200, json)).onFailure(t -> support.fail(ctx, t)));
    r.post(BusRoute.PATH).handler(support.timeout()).handler(support.body())
        .handler(new BusRoute(config.bus(), support));
  }

  private CorsHandler cors() {
    CorsHandler cors = CorsHandler.create();
    if (!config.corsOrigins().contains("*")) {
      cors.addOrigins(config.corsOrigins());
    }
    return cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Authorization", "Content-Type", Correlation.HEADER))
        .exposedHeaders(Set.of(Correlation.HEADER, "Retry-After"));
  }
}
