package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: clients (the official {@code @vertx/eventbus-bridge-client.js})
 * send and publish to the inbound allow-list and subscribe to the outbound one. Internal addresses are refused
 * whatever the lists say. With API keys configured every send, publish and register must carry
 * {@code Authorization: Bearer <key>}, in the message headers ({@code eb.defaultHeaders}) or on the SockJS
 * handshake. A refusal answers the client with an {@code err} frame whose {@code failureCode} is the
 * {@link ErrorCode} wire number and whose message names the reason (then Vert.x's own {@code rejected}).
 */
final class EventBusBridge {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  static final String PATH = "/eventbus/*";

  private final HttpConfig.EventBusConfig config;
  private final ApiKeys keys;

  EventBusBridge(HttpConfig.EventBusConfig config, ApiKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /** The SockJS sub-router. */
  Router router(Vertx vertx) {
    SockJSBridgeOptions opts = new SockJSBridgeOptions()
        .setReplyTimeout(config.replyTimeoutMs())
        .setMaxAddressLength(AddressAllowList.MAX_LENGTH)
        .setInboundPermitteds(permitted(config.inbound()))
        .setOutboundPermitteds(permitted(config.outbound()));
    return SockJSHandler.create(vertx, new SockJSHandlerOptions()).bridge(opts, this::onEvent);
  }

  private static List<PermittedOptions> permitted(AddressAllowList list) {
    var exact = list.addresses().stream().map(a -> new PermittedOptions().setAddress(a));
    var regex = list.regexes().stream().map(p -> new PermittedOptions().setAddressRegex(p.pattern()));
    return Stream.concat(exact, regex).toList();
  }

  /** Refuses a handshake whose Authorization header carries a wrong key (one without a key may go on). */
  void handshake(RoutingContext ctx) {
    String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    HttpFailure f = auth == null ? null : keys.check(auth);
    if (f != null) {
      ctx.fail(f);
    } else {
      ctx.next();
    }
  }

  /** Refuses browser origins other than the server's own and the configured ones. */
  void checkOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null || config.origins().contains("*") || config.origins().contains(origin)
        || sameOrigin(origin, ctx)) {
      ctx.next();
      return;
    }
    ctx.fail(HttpFailure.forbidden("origin '" + origin + "' may not use the event-bus bridge; add it to "
        + "http.eventbus.origins"));
  }

  private static boolean sameOrigin(String origin, RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private void onEvent(BridgeEvent e) {
    BridgeEventType t = e.type();
    if (t != BridgeEventType.SEND && t != BridgeEventType.PUBLISH && t != BridgeEventType.REGISTER) {
      e.complete(true);
      return;
    }
    JsonObject raw = e.getRawMessage();
    HttpFailure refusal = refusal(e, raw);
    if (refusal == null) {
      e.setRawMessage(withoutAuthorization(raw));
      e.complete(true);
    } else {
      refuse(e, raw, refusal);
    }
  }

  private HttpFailure refusal(BridgeEvent e, JsonObject raw) {
    HttpFailure auth = keys.check(authorization(e, raw));
    if (auth != null) {
      return auth;
    }
    String address = raw.getString("address");
    boolean inbound = e.type() != BridgeEventType.REGISTER;
    AddressAllowList list = inbound ? config.inbound() : config.outbound();
    if (address != null && list.allows(address)) {
      return null;
    }
    String why = address == null ? "is missing" : AddressAllowList.internal(address);
    return HttpFailure.forbidden("address '" + address + "' " + (why != null ? why
        : "is not on the bridge's " + (inbound ? "inbound" : "outbound") + " allow-list; add it to http.eventbus."
            + (inbound ? "inbound" : "outbound") + ".addresses or .addressRegexes"));
  }

  private static String authorization(BridgeEvent e, JsonObject raw) {
    JsonObject headers = raw.getJsonObject("headers");
    if (headers != null) {
      for (String name : headers.fieldNames()) {
        if (name.equalsIgnoreCase("Authorization") && headers.getValue(name) instanceof String s) {
          return s;
        }
      }
    }
    return e.socket() == null || e.socket().headers() == null ? null
        : e.socket().headers().get(HttpHeaders.AUTHORIZATION);
  }

  private static JsonObject withoutAuthorization(JsonObject raw) {
    JsonObject headers = raw.getJsonObject("headers");
    if (headers == null || headers.fieldNames().stream().noneMatch(n -> n.equalsIgnoreCase("Authorization"))) {
      return raw;
    }
    JsonObject copy = raw.copy();
    copy.getJsonObject("headers").fieldNames().removeIf(n -> n.equalsIgnoreCase("Authorization"));
    return copy;
  }

  private static void refuse(BridgeEvent e, JsonObject raw, HttpFailure f) {
    LOG.info("event-bus bridge refused {} to '{}': {} {}", e.type(), raw.getString("address"), f.code(),
        f.getMessage());
    String to = e.type() == BridgeEventType.REGISTER ? raw.getString("address") : raw.getString("replyAddress");
    JsonObject frame = new JsonObject().put("type", "err").put("failureCode", f.code().wire())
        .put("failureType", f.code().name()).put("message", f.getMessage());
    if (to != null) {
      frame.put("address", to);
    }
    if (e.socket() != null) {
      e.socket().write(frame.encode());
    }
    e.complete(false);
  }
}
