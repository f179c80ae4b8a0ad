package io.busflow.http;

import io.busflow.pipeline.serving.Catalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * What the node serves, read-only: {@code GET /api/v1/pipelines} (the pipeline files of its pipelines directory:
 * name, mode, model type, source), {@code GET /api/v1/pipelines/{name}} (one of them in full, with what a predict
 * record holds once it is trained) and {@code GET /api/v1/models} (the fitted models their train jobs saved: name,
 * type, version hash, input features, training metrics when known), from {@link Catalog}.
 */
public final class CatalogRoutes implements ApiModule {

  static final String PIPELINES_PATH = "/api/v1/pipelines";
  static final String MODELS_PATH = "/api/v1/models";
  static final String OPENAPI_RESOURCE = "io/busflow/http/catalog.openapi.json";

  private final Catalog catalog;

  public CatalogRoutes(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void mount(Router router, ApiSupport support) {
    router.get(PIPELINES_PATH).handler(support.timeout()).handler(ctx -> answer(ctx, support, catalog::pipelines));
    router.get(PIPELINES_PATH + "/:name").handler(support.timeout())
        .handler(ctx -> answer(ctx, support, () -> catalog.pipeline(ctx.pathParam("name"))));
    router.get(MODELS_PATH).handler(support.timeout()).handler(ctx -> answer(ctx, support, catalog::models));
  }

  private static void answer(RoutingContext ctx, ApiSupport support, Supplier<Future<JsonObject>> list) {
    list.get().onSuccess(body -> support.json(ctx, 200, body)).onFailure(t -> support.fail(ctx, t));
  }

  @Override
  public JsonObject openApiPaths() {
    return Resources.json(OPENAPI_RESOURCE);
  }
}
