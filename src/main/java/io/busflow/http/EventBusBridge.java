package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: clients (the official {@code @vertx/eventbus-bridge-client.js})
 * send and publish to the inbound allow-list and subscribe to the outbound one. Internal addresses are refused
 * whatever the lists say. With API keys configured every send, publish and register must carry
 * {@code Authorization: Bearer <key>}, in the message headers ({@code eb.defaultHeaders}) or on the SockJS
 * handshake. A refusal answers the client with an {@code err} frame whose {@code failureCode} is the
 * {@link ErrorCode} wire number and whose message names the reason (then Vert.x's own {@code rejected}). Each
 * socket is guarded by a {@link BridgeSocket} (malformed frames, slow readers, transport failures); at most
 * {@code http.eventbus.maxSessions} are open per node, and a socket past that gets a {@code MAILBOX_FULL}
 * {@code err} frame and is closed at once. The router checks {@code Host} and {@code Origin} before any of this.
 */
final class EventBusBridge {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  static final String PATH = "/eventbus/*";
  private static final String SESSIONS_MAP = "busflow.http.bridgeSessions";
  /** The WebSocket close code for "try again later". */
  private static final int TRY_AGAIN_LATER = 1013;

  private final HttpConfig.EventBusConfig config;
  private final ApiKeys keys;

  EventBusBridge(HttpConfig.EventBusConfig config, ApiKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /** The SockJS sub-router: Vert.x's bridge, each socket guarded by a {@link BridgeSocket}. */
  Router router(Vertx vertx) {
    SockJSBridgeOptions opts = new SockJSBridgeOptions()
        .setReplyTimeout(config.replyTimeoutMs())
        .setMaxAddressLength(AddressAllowList.MAX_LENGTH)
        // one more than the hook allows: the hook refuses first, with an error frame of busflow's (onEvent)
        .setMaxHandlersPerSocket(config.maxHandlersPerSocket() + 1)
        .setInboundPermitteds(permitted(config.inbound()))
        .setOutboundPermitteds(permitted(config.outbound()));
    EventBusBridgeImpl bridge = new EventBusBridgeImpl(vertx, null, opts, this::onEvent);
    AtomicInteger open = openSessions(vertx);
    return SockJSHandler.create(vertx, new SockJSHandlerOptions())
        .socketHandler(sock -> accept(vertx, sock, bridge, open));
  }

  /** The node's count of open bridge sockets, shared by its HTTP verticle instances. */
  static AtomicInteger openSessions(Vertx vertx) {
    LocalMap<String, SessionCount> map = vertx.sharedData().getLocalMap(SESSIONS_MAP);
    return map.computeIfAbsent(SESSIONS_MAP, k -> new SessionCount()).open;
  }

  private void accept(Vertx vertx, SockJSSocket sock, EventBusBridgeImpl bridge, AtomicInteger open) {
    if (open.incrementAndGet() > config.maxSessions()) {
      open.decrementAndGet();
      String why = config.maxSessions() + " event-bus bridge sessions are open on this node, the limit of "
          + "http.eventbus.maxSessions; retry later, or connect to another node";
      LOG.warn("event-bus bridge refused a session from {}: {}", sock.remoteAddress(), why);
      sock.write(BridgeFrames.error(ErrorCode.MAILBOX_FULL, why, null).toBuffer());
      sock.close(TRY_AGAIN_LATER, "too many sessions");
      return;
    }
    bridge.handle(new BridgeSocket(vertx, sock, config.maxQueuedBytes(), queuedOnNode(vertx),
        config.maxQueuedBytesPerNode(), open::decrementAndGet));
  }

  /** The bytes queued and not yet sent on every bridge socket of the node, shared by its HTTP verticle instances. */
  static AtomicLong queuedOnNode(Vertx vertx) {
    LocalMap<String, SessionCount> map = vertx.sharedData().getLocalMap(SESSIONS_MAP);
    return map.computeIfAbsent(SESSIONS_MAP, k -> new SessionCount()).queued;
  }

  /** Counters that may live in a local shared map: sessions open, bytes queued. */
  private static final class SessionCount implements Shareable {
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong queued = new AtomicLong();
  }

  private static List<PermittedOptions> permitted(AddressAllowList list) {
    var exact = list.addresses().stream().map(a -> new PermittedOptions().setAddress(a));
    var regex = list.regexes().stream().map(p -> new PermittedOptions().setAddressRegex(p.pattern()));
    return Stream.concat(exact, regex).toList();
  }

  /** Reads the bodies of XHR sends (POST) within the body limit; WebSocket upgrades (GET) go on untouched. */
  static Handler<RoutingContext> postBodies(Handler<RoutingContext> body) {
    return ctx -> {
      if (ctx.request().method() == HttpMethod.POST) {
        body.handle(ctx);
      } else {
        ctx.next();
      }
    };
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

  private void onEvent(BridgeEvent e) {
    BridgeEventType t = e.type();
    if (t == BridgeEventType.UNREGISTER && e.socket() instanceof BridgeSocket s && e.getRawMessage() != null) {
      s.unsubscribe(e.getRawMessage().getString("address"));
    }
    if (t != BridgeEventType.SEND && t != BridgeEventType.PUBLISH && t != BridgeEventType.REGISTER) {
      e.complete(true);
      return;
    }
    JsonObject raw = e.getRawMessage();
    HttpFailure refusal = refusal(e, raw);
    if (refusal == null && t == BridgeEventType.REGISTER && e.socket() instanceof BridgeSocket s
        && !s.subscribe(raw.getString("address"), config.maxHandlersPerSocket())) {
      refusal = new HttpFailure(413, ErrorCode.TOO_LARGE, "this socket is subscribed to "
          + config.maxHandlersPerSocket() + " addresses, the limit of http.eventbus.maxHandlersPerSocket; "
          + "unregister one first, or open another socket");
    }
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
    if (e.socket() != null) {
      e.socket().write(BridgeFrames.error(f.code(), f.getMessage(), to).toBuffer());
    }
    e.complete(false);
  }
}
