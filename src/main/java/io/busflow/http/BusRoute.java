package io.busflow.http;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/bus/{address}}: the JSON body goes to the address as a request; the reply comes back
 * as JSON (an object, a list, a string, a number or a boolean). Only allow-listed addresses are reachable.
 */
final class BusRoute implements Handler<RoutingContext> {

  static final String PATH = "/api/v1/bus/:address";

  private final AddressAllowList allowed;
  private final ApiSupport support;

  BusRoute(AddressAllowList allowed, ApiSupport support) {
    this.allowed = allowed;
    this.support = support;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String address = ctx.pathParam("address");
    if (!allowed.allows(address)) {
      support.fail(ctx, notAllowed(address));
      return;
    }
    Object body;
    try {
      body = support.jsonBody(ctx);
    } catch (HttpFailure f) {
      support.fail(ctx, f);
      return;
    }
    support.request(ctx, address, body)
        .map(reply -> asJson(reply, address))
        .onSuccess(json -> support.json(ctx, 200, json))
        .onFailure(t -> support.fail(ctx, t));
  }

  private static HttpFailure notAllowed(String address) {
    String why = AddressAllowList.internal(address);
    return HttpFailure.forbidden(why != null
        ? "address '" + address + "' " + why
        : "address '" + address + "' is not on the HTTP allow-list; add it to http.bus.addresses or "
            + "http.bus.addressRegexes to make it reachable");
  }

  /** The reply as a JSON value; other types (binary, batches) fail naming the type. */
  static Object asJson(Object reply, String address) {
    if (reply == null || reply instanceof JsonObject || reply instanceof JsonArray || reply instanceof String
        || reply instanceof Number || reply instanceof Boolean) {
      return reply;
    }
    String type = reply instanceof Buffer ? "binary Buffer" : reply.getClass().getSimpleName();
    throw new ActorException(ErrorCode.ACTOR_FAILED, "the reply of '" + address + "' is a " + type + ", which has no JSON form; this endpoint forwards replies that are "
        + "JSON objects, lists, strings, numbers or booleans");
  }
}
