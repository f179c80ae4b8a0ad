package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.actor.Actors;
import io.busflow.config.ActorConfig;
import io.busflow.testkit.FnActor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.function.Function;

/** Starts HTTP bridges and actors for the tests of this package. */
final class Bridges {

  private Bridges() {}

  /** A bridge on a free port of 127.0.0.1 with {@code http} settings over the defaults; its port. */
  static Future<Integer> start(Vertx vertx, JsonObject http, List<ActorConfig> actors) {
    return start(vertx, http, actors, List.of());
  }

  /** The same, with API modules. */
  static Future<Integer> start(Vertx vertx, JsonObject http, List<ActorConfig> actors, List<ApiModule> modules) {
    HttpConfig cfg = HttpConfig.read(http.copy().put("enabled", true).put("port", 0));
    HttpBridge bridge = new HttpBridge(cfg, actors, modules);
    return vertx.deployVerticle(bridge).map(id -> bridge.actualPort());
  }

  /** The failure code of an error body, old ({@code {"error":{…}}}) or RFC 9457 problem. */
  static String errorCode(JsonObject body) {
    return body.containsKey("error") ? body.getJsonObject("error").getString("code") : body.getString("code");
  }

  /** The RFC 9457 problem of an error response, after checking its media type and status member. */
  static JsonObject problem(HttpResponse<Buffer> r) {
    assertEquals(HttpErrors.PROBLEM_JSON, r.getHeader("Content-Type"), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(r.statusCode(), body.getInteger("status"), body.encode());
    assertEquals(r.getHeader(Correlation.HEADER), body.getString("correlationId"), body.encode());
    return body;
  }

  /** A supervised test actor that drains quickly on stop. */
  static ActorConfig config(String name, String address) {
    return ActorConfig.defaults(name, address).withDrainTimeoutMs(50);
  }

  static Future<Void> actor(Vertx vertx, ActorConfig config, Function<Object, Future<?>> behaviour) {
    return Actors.deploy(vertx, config, () -> new FnActor(config.address(), behaviour)).mapEmpty();
  }

  static Future<Void> actor(Vertx vertx, String address, Function<Object, Future<?>> behaviour) {
    return actor(vertx, config(address.substring(address.lastIndexOf('.') + 1), address), behaviour);
  }
}
