package io.busflow.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Serves only requests whose {@code Host} names this server ({@code http.allowedHosts}): a page on another
 * name whose DNS record was pointed at this machine (DNS rebinding) gets 403, so binding to loopback also
 * holds against attacks that come through the user's browser. An entry {@code name} accepts {@code name} and
 * {@code name:<the server's port>}; an entry {@code name:port} accepts exactly that; {@code "*"} accepts any
 * Host. Also decides which browser origins are the server's own (see {@link #isOwnOrigin}).
 */
final class HostCheck implements RequestCheck {

  private static final Pattern AUTHORITY = Pattern.compile("(\\[[^]]*]|[^:]*)(?::([0-9]{1,5}))?");
  private static final Pattern ORIGIN = Pattern.compile("(https?)://([^/?#]+)");

  private final Set<String> allowed;
  private final boolean any;
  /** The allowed names with the port last asked about ({@code name:port}): the usual Host values, without a regex. */
  private OnPort onPort = new OnPort(-1, Set.of());

  private record OnPort(int port, Set<String> names) {}

  HostCheck(List<String> allowedHosts) {
    this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.any = allowed.contains("*");
  }

  @Override
  public HttpFailure refusal(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (allows(req)) {
      return null;
    }
    String host = host(req);
    return HttpFailure.forbidden("Host '" + printable(host) + "' is not a name of this server, so the request "
        + "is refused (a page reached under another name may not use it); if clients really reach the server "
        + "under this name, add it to http.allowedHosts (or BUSFLOW_HTTP__ALLOWED_HOSTS)");
  }

  /** Whether the {@code Host} of {@code req} names this server. */
  boolean allows(HttpServerRequest req) {
    return allows(host(req), req.localAddress() == null ? -1 : req.localAddress().port());
  }

  private static String host(HttpServerRequest req) {
    String host = req.getHeader(HttpHeaders.HOST);
    return host == null && req.authority() != null ? req.authority().toString() : host;
  }

  /** Whether the {@code Host} value {@code host} (maybe null) names this server, which listens on {@code port}. */
  boolean allows(String host, int port) {
    if (any) {
      return true;
    }
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(h) || onPort(port).contains(h)) {
      return true;
    }
    Matcher m = AUTHORITY.matcher(h);
    return m.matches() && m.group(2) != null && Integer.parseInt(m.group(2)) == port && allowed.contains(m.group(1));
  }

  /** The allowed names with {@code :port} (kept for the next request: one server listens on one port). */
  private Set<String> onPort(int port) {
    OnPort known = onPort;
    if (known.port() != port) {
      known = new OnPort(port, port < 0 ? Set.of() : allowed.stream().filter(HostCheck::isName)
          .map(a -> a + ":" + port).collect(Collectors.toUnmodifiableSet()));
      onPort = known;
    }
    return known.names();
  }

  /** Whether the allowed entry {@code a} is a name without a port, as {@link #allows} reads a Host value. */
  private static boolean isName(String a) {
    Matcher m = AUTHORITY.matcher(a);
    return m.matches() && m.group(2) == null;
  }

  /**
   * Whether the browser origin {@code origin} is this server's own: an allowed name with an explicit port
   * ({@code name:port}), or an allowed name on the server's port. Decided from the configuration and the port
   * the request arrived on, never from the client's {@code Host} header.
   */
  boolean isOwnOrigin(String origin, int port) {
    Matcher o = ORIGIN.matcher(origin.toLowerCase(Locale.ROOT));
    if (!o.matches()) {
      return false;
    }
    Matcher a = AUTHORITY.matcher(o.group(2));
    if (!a.matches()) {
      return false;
    }
    int p = a.group(2) != null ? Integer.parseInt(a.group(2)) : o.group(1).equals("https") ? 443 : 80;
    return allowed.contains(a.group(1) + ":" + p) || (p == port && allowed.contains(a.group(1)));
  }

  /** A client-supplied value fit for a message: control characters replaced, at most 100 characters. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "…";
  }
}
