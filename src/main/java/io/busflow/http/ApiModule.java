package io.busflow.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Routes a component adds to the HTTP API, with their OpenAPI description. The pipeline routes
 * ({@code /api/v1/pipelines/{name}/predict}, {@code /api/v1/jobs…}) plug in here. API keys and CORS apply to
 * everything under {@code /api}; each route adds {@link ApiSupport#timeout()} and {@link ApiSupport#body()}
 * itself where it needs them, and fails through {@link ApiSupport#fail} so that errors keep one shape.
 */
public interface ApiModule {

  /** Adds the routes, with full paths starting {@code /api/v1/}. */
  void mount(Router router, ApiSupport support);

  /** The OpenAPI 3 {@code paths} entries of these routes, keyed by full path ({@code /api/v1/…}). */
  JsonObject openApiPaths();
}
