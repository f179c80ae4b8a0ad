package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.serving.PredictionService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document served at /api/v1/openapi.json describes exactly the router's routes. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  /** A module like the coming pipeline API: one route and its description. */
  static final class ProbeModule implements ApiModule {
    @Override
    public void mount(Router router, ApiSupport support) {
      router.get("/api/v1/probes/:id").handler(ctx -> support.json(ctx, 200, ctx.pathParam("id")));
    }

    @Override
    public JsonObject openApiPaths() {
      return new JsonObject().put("/api/v1/probes/{id}", new JsonObject().put("get", new JsonObject()
          .put("parameters", new JsonArray().add(new JsonObject().put("name", "id").put("in", "path")
              .put("required", true).put("schema", new JsonObject().put("type", "string"))))
          .put("responses", new JsonObject().put("200", new JsonObject().put("description", "the id")))));
    }
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void servedDocument_matchesTheRoutesOfTheRouter_modulesIncluded(Vertx vertx, VertxTestContext ctx) {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0));
    HttpBridge bridge = new HttpBridge(cfg, List.of(), List.of(new ProbeModule()));
    vertx.deployVerticle(bridge)
        .compose(id -> WebClient.create(vertx).get(bridge.actualPort(), "127.0.0.1", "/api/v1/openapi.json").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject doc = r.bodyAsJsonObject();
          Router router = ApiRouter.create(vertx, cfg, doc, List.of(), List.of(new ProbeModule()), () -> false);
          assertEquals(routes(router), documented(doc));
          assertTrue(documented(doc).contains("GET /api/v1/probes/{id}"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void predictModule_isDocumentedExactly_andItsReferencesResolve(Vertx vertx, VertxTestContext ctx) {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0));
    PredictionService service = new PredictionService(vertx, "conf/pipelines",
        new DataRoots("roots", List.of(Path.of("data"))), Duration.ofSeconds(1));
    List<ApiModule> modules = List.of(new PredictApi(service));
    HttpBridge bridge = new HttpBridge(cfg, List.of(), modules);
    vertx.deployVerticle(bridge)
        .compose(id -> WebClient.create(vertx).get(bridge.actualPort(), "127.0.0.1", "/api/v1/openapi.json").send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject doc = r.bodyAsJsonObject();
          assertEquals(routes(ApiRouter.create(vertx, cfg, doc, List.of(), modules, () -> false)), documented(doc));
          assertTrue(documented(doc).contains("POST /api/v1/pipelines/{name}/predict"));
          checkRefs(doc, doc);
          JsonObject responses = doc.getJsonObject("paths").getJsonObject("/api/v1/pipelines/{name}/predict")
              .getJsonObject("post").getJsonObject("responses");
          for (String status : List.of("200", "400", "404", "409", "413", "422", "500", "503", "504")) {
            assertNotNull(responses.getJsonObject(status), "predict documents " + status);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void everyReferenceResolves_andEveryOperationDescribesItsErrors() throws Exception {
    JsonObject doc;
    try (var in = getClass().getClassLoader().getResourceAsStream(HttpBridge.OPENAPI_RESOURCE)) {
      doc = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertTrue(doc.getString("openapi").startsWith("3."));
    checkRefs(doc, doc);
    JsonObject bus = doc.getJsonObject("paths").getJsonObject("/api/v1/bus/{address}").getJsonObject("post");
    for (String status : List.of("400", "401", "403", "413", "422", "500", "503", "504")) {
      assertNotNull(bus.getJsonObject("responses").getJsonObject(status), "bus route documents " + status);
    }
  }

  /**
   * Every error response (4xx, 5xx) of every operation is application/problem+json with the Problem schema —
   * readiness excepted, whose 503 is its health report.
   */
  static void checkProblems(JsonObject doc) {
    JsonObject paths = doc.getJsonObject("paths");
    int checked = 0;
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!METHODS.contains(method) || path.startsWith("/health/")) {
          continue;
        }
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          if (status.startsWith("4") || status.startsWith("5")) {
            Object r = responses.getJsonObject(status);
            JsonObject resolved = (JsonObject) (((JsonObject) r).containsKey("$ref")
                ? resolve(doc, ((JsonObject) r).getString("$ref")) : r);
            String where = method.toUpperCase(Locale.ROOT) + " " + path + " " + status;
            JsonObject content = resolved.getJsonObject("content");
            assertNotNull(content, where);
            assertEquals(Set.of(HttpErrors.PROBLEM_JSON), content.fieldNames(), where);
            assertEquals("#/components/schemas/Problem", content.getJsonObject(HttpErrors.PROBLEM_JSON)
                .getJsonObject("schema").getString("$ref"), where);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 20, "error responses checked: " + checked);
  }

  @Test
  void everyErrorResponse_isDocumentedAsProblemJson() throws Exception {
    JsonObject doc;
    try (var in = getClass().getClassLoader().getResourceAsStream(HttpBridge.OPENAPI_RESOURCE)) {
      doc = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    PredictionService service = new PredictionService(Vertx.vertx(), "conf/pipelines",
        new DataRoots("roots", List.of(Path.of("data"))), Duration.ofSeconds(1));
    doc = HttpBridge.withModules(doc, List.of(new JobRoutes(), new PredictApi(service)));
    checkRefs(doc, doc);
    checkProblems(doc);
    for (String route : List.of("/api/v1/bus/{address}", "/api/v1/jobs", "/api/v1/pipelines/{name}/predict")) {
      assertNotNull(doc.getJsonObject("paths").getJsonObject(route).getJsonObject("post").getJsonObject("responses")
          .getJsonObject("415"), route + " documents 415");
    }
  }

  /**
   * Over HTTP, on every documented API path: a method it does not have gets 405 with an Allow header naming exactly
   * the documented methods, as a problem; a POST route given text/plain gets 415, as a problem.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void everyRoute_answers405WithAllowAnd415_asProblemJson(Vertx vertx, VertxTestContext ctx) {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0));
    List<ApiModule> modules = List.of(new JobRoutes(), new ProbeModule());
    HttpBridge bridge = new HttpBridge(cfg, List.of(), modules);
    WebClient client = WebClient.create(vertx);
    vertx.deployVerticle(bridge)
        .compose(id -> client.get(bridge.actualPort(), "127.0.0.1", "/api/v1/openapi.json").send())
        .compose(r -> {
          JsonObject paths = r.bodyAsJsonObject().getJsonObject("paths");
          io.vertx.core.Future<Void> chain = io.vertx.core.Future.succeededFuture();
          for (String path : paths.fieldNames().stream().filter(p -> p.startsWith("/api/")).toList()) {
            String uri = path.replaceAll("\\{[^}]+}", "x");
            Set<String> methods = new TreeSet<>();
            paths.getJsonObject(path).fieldNames().stream().filter(METHODS::contains)
                .forEach(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            chain = chain.compose(v -> client.request(io.vertx.core.http.HttpMethod.PATCH, bridge.actualPort(),
                "127.0.0.1", uri).send().map(resp -> {
                  ctx.verify(() -> {
                    assertEquals(405, resp.statusCode(), "PATCH " + uri);
                    Bridges.problem(resp);
                    assertEquals(String.join(", ", methods), resp.getHeader("Allow"), "Allow of " + path);
                  });
                  return null;
                }));
            if (methods.contains("POST")) {
              chain = chain.compose(v -> client.post(bridge.actualPort(), "127.0.0.1", uri)
                  .putHeader("Content-Type", "text/plain").sendBuffer(io.vertx.core.buffer.Buffer.buffer("{}"))
                  .map(resp -> {
                    ctx.verify(() -> {
                      assertEquals(415, resp.statusCode(), "POST text/plain " + uri);
                      Bridges.problem(resp);
                    });
                    return null;
                  }));
            }
          }
          return chain;
        })
        .onComplete(ctx.succeeding(v -> ctx.completeNow()));
  }

  private static void checkRefs(Object node, JsonObject doc) {
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        if (k.equals("$ref")) {
          assertNotNull(resolve(doc, o.getString(k)), "unresolved " + o.getString(k));
        } else {
          checkRefs(o.getValue(k), doc);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> checkRefs(v, doc));
    }
  }

  private static Object resolve(JsonObject doc, String ref) {
    assertTrue(ref.startsWith("#/"), ref);
    Object at = doc;
    for (String part : ref.substring(2).split("/")) {
      at = at instanceof JsonObject o ? o.getValue(part) : null;
    }
    return at;
  }

  /** "METHOD /path/{param}" for every route with a path and methods (the SockJS mount has none). */
  static Set<String> routes(Router router) {
    Set<String> out = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
        continue;
      }
      String path = r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      r.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    assertFalse(out.isEmpty());
    return out;
  }

  static Set<String> documented(JsonObject doc) {
    Set<String> out = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method)) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return out;
  }

  @Test
  void theJobRoutes_areDocumentedExactly_andTheirReferencesResolve(Vertx vertx) throws Exception {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0));
    List<ApiModule> modules = List.of(new JobRoutes());
    JsonObject doc;
    try (var in = getClass().getClassLoader().getResourceAsStream(HttpBridge.OPENAPI_RESOURCE)) {
      doc = HttpBridge.withModules(new JsonObject(new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8)), modules);
    }
    checkRefs(doc, doc);
    assertEquals(routes(ApiRouter.create(vertx, cfg, doc, List.of(), modules, () -> false)), documented(doc));
    for (String route : List.of("POST /api/v1/jobs", "GET /api/v1/jobs", "GET /api/v1/jobs/{id}",
        "DELETE /api/v1/jobs/{id}", "GET /api/v1/jobs/{id}/events")) {
      assertTrue(documented(doc).contains(route), route);
    }
  }

  @Test
  void theCatalogAndConsoleRoutes_areDocumentedExactly_andTheirReferencesResolve(Vertx vertx) throws Exception {
    HttpConfig cfg = HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0));
    List<ApiModule> modules = List.of(new CatalogRoutes(new io.busflow.pipeline.serving.Catalog(vertx, "conf/pipelines",
        new DataRoots("roots", List.of(Path.of("data"))))), new ConsoleRoutes());
    JsonObject doc;
    try (var in = getClass().getClassLoader().getResourceAsStream(HttpBridge.OPENAPI_RESOURCE)) {
      doc = HttpBridge.withModules(new JsonObject(new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8)), modules);
    }
    checkRefs(doc, doc);
    assertEquals(routes(ApiRouter.create(vertx, cfg, doc, List.of(), modules, () -> false)), documented(doc));
    for (String route : List.of("GET /api/v1/pipelines", "GET /api/v1/models", "GET /api/v1/deadletters/events")) {
      assertTrue(documented(doc).contains(route), route);
    }
  }
}
