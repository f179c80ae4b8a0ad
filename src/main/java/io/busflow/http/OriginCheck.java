package io.busflow.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Refuses (403) a request from a browser page of a foreign origin: its {@code Origin} header is neither the
 * server's own (see {@link HostCheck#isOwnOrigin}) nor listed in the configured origins ({@code "*"}: any).
 * Requests without {@code Origin} (curl, Node, other servers) are not from a browser page and pass. On the API it
 * guards state-changing methods only (what a page can do without reading the answer); on the event-bus bridge,
 * every request.
 */
final class OriginCheck implements RequestCheck {

  private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  private final List<String> configured;
  private final HostCheck hosts;
  private final String key;
  private final boolean stateChangingOnly;

  private OriginCheck(List<String> configured, HostCheck hosts, String key, boolean stateChangingOnly) {
    this.configured = List.copyOf(configured);
    this.hosts = hosts;
    this.key = key;
    this.stateChangingOnly = stateChangingOnly;
  }

  /** For the API: POST, PUT, PATCH and DELETE need the server's own origin or one of {@code http.corsOrigins}. */
  static OriginCheck api(HttpConfig config, HostCheck hosts) {
    return new OriginCheck(config.corsOrigins(), hosts, "http.corsOrigins", true);
  }

  /** For the SockJS bridge: every request needs the server's own origin or one of {@code http.eventbus.origins}. */
  static OriginCheck bridge(HttpConfig config, HostCheck hosts) {
    return new OriginCheck(config.eventbus().origins(), hosts, "http.eventbus.origins", false);
  }

  @Override
  public HttpFailure refusal(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    if (origin == null || (stateChangingOnly && !STATE_CHANGING.contains(req.method())) || allows(origin, req)) {
      return null;
    }
    return HttpFailure.forbidden("origin '" + HostCheck.printable(origin) + "' may not " + (stateChangingOnly
        ? "send " + req.method() + " " + req.path() : "use the event-bus bridge") + ": browser pages may act here "
        + "only from the server's own origin or one listed in " + key + "; add the page's origin there if it is "
        + "yours");
  }

  private boolean allows(String origin, HttpServerRequest req) {
    return configured.contains("*") || configured.contains(origin)
        || hosts.isOwnOrigin(origin, req.localAddress() == null ? -1 : req.localAddress().port());
  }
}
