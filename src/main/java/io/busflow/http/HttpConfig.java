package io.busflow.http;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code http} section of a node's configuration, validated: a bad key fails start-up naming its path
 * ({@code http.bus.addressRegexes[0]: …}). Every key and its default is listed in the README's configuration
 * table.
 *
 * @param enabled whether the node runs the HTTP bridge (default false)
 * @param host the interface to bind (default 127.0.0.1: reachable from this machine only)
 * @param port the port (default 8080; 0 picks a free one)
 * @param instances HTTP verticle instances sharing the port (default 1)
 * @param bodyLimitBytes the largest request body accepted (default 10 MB); larger gets 413
 * @param requestTimeoutMs how long a request may take, body and actor reply included (default 30 s)
 * @param idleTimeoutMs a connection silent this long is closed (default 60 s)
 * @param shutdownTimeoutMs how long requests in progress may finish when the node stops (default 10 s)
 * @param apiKeys when not empty, {@code /api} and the event-bus bridge need {@code Authorization: Bearer <key>}
 * @param corsOrigins origins allowed to call {@code /api} from a browser; empty: CORS off
 * @param bus what {@code POST /api/v1/bus/{address}} may reach
 * @param eventbus the SockJS event-bus bridge
 * @param limits admission control: what the node accepts at once before it answers 503
 * @param allowedHosts the {@code Host} header values served ({@code name} or {@code name:port}; {@code "*"}: any);
 *     default: localhost, 127.0.0.1, [::1] and {@code host} unless it is a wildcard address (see {@link HostCheck})
 */
public record HttpConfig(boolean enabled, String host, int port, int instances, long bodyLimitBytes,
                         long requestTimeoutMs, long idleTimeoutMs, long shutdownTimeoutMs, List<String> apiKeys,
                         List<String> corsOrigins, AddressAllowList bus, EventBusConfig eventbus, Limits limits,
                         List<String> allowedHosts) {

  /** 10 MB. */
  public static final long DEFAULT_BODY_LIMIT = 10L * 1024 * 1024;
  /** 64 MB. */
  public static final long DEFAULT_BODY_BYTES_IN_FLIGHT = 64L * 1024 * 1024;
  private static final int MIN_KEY_LENGTH = 16;
  private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s?#]+");
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]*)(:[0-9]{1,5})?");
  /** Host names that always mean this machine. */
  static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

  public HttpConfig {
    apiKeys = List.copyOf(apiKeys);
    corsOrigins = List.copyOf(corsOrigins);
    allowedHosts = List.copyOf(allowedHosts);
  }

  /**
   * The SockJS event-bus bridge at {@code /eventbus}.
   *
   * @param enabled whether {@code /eventbus} is served (default true)
   * @param inbound addresses clients may send and publish to
   * @param outbound addresses clients may subscribe to
   * @param origins browser origins allowed besides the server's own; {@code "*"} allows any
   * @param replyTimeoutMs how long the bridge waits for a reply to a client's request (default 30 s)
   * @param maxQueuedBytes bytes written to one socket and not yet sent on; past it the client, which does not
   *     read, is disconnected (default 1 MB)
   * @param maxSessions open bridge sockets on the node, over its HTTP verticle instances; past it a new one is
   *     refused (default 1000)
   * @param maxFrameBytes the largest WebSocket frame a client may send; a larger one closes the socket (default
   *     64 KB; messages, made of frames, stay under {@code http.bodyLimitBytes})
   * @param maxHandlersPerSocket addresses one socket may be subscribed to at once; past it a {@code register} is
   *     refused with an error frame (default 100)
   * @param maxQueuedBytesPerNode bytes written to all the node's bridge sockets and not yet sent on; past it a
   *     client with bytes waiting is disconnected (default 64 MB; below {@code maxQueuedBytes} it bounds each socket
   *     too)
   */
  public record EventBusConfig(boolean enabled, AddressAllowList inbound, AddressAllowList outbound,
                               List<String> origins, long replyTimeoutMs, int maxQueuedBytes, int maxSessions,
                               int maxFrameBytes, int maxHandlersPerSocket, long maxQueuedBytesPerNode) {
    public EventBusConfig {
      origins = List.copyOf(origins);
    }
  }

  /**
   * {@code http.limits}: how much work the node admits at once, over all its HTTP verticle instances, so that
   * memory stays bounded whatever clients send. Past an in-flight limit a request gets 503 MAILBOX_FULL with
   * {@code Retry-After} at once; past a per-request limit, 413 TOO_LARGE.
   *
   * @param bodyBytesInFlight bytes of request bodies being received, parsed or answered at once (default 64 MB;
   *                          at least {@code http.bodyLimitBytes})
   * @param jsonValues the most JSON values (objects, arrays, strings, numbers…) one request body may hold,
   *                   counted as it is decoded, the decoding stopped at the limit (default 250,000)
   * @param predictRecords the most records one predict request may carry (default 10,000)
   * @param predictRowsInFlight records being predicted at once on the node (default 50,000; at least
   *                            {@code predictRecords})
   * @param servedStateBytes estimated bytes of the saved preprocessors and models each HTTP instance keeps
   *                         loaded for predictions (default 64 MB), least recently used pipeline out
   * @param predictRequestsInFlight predict requests admitted at once on the node (default 1024), counted when the
   *                                request's headers arrive, before its body is read; less, down to an eighth of
   *                                it, while the node has a standing queue
   * @param predictQueueTargetMs how long a predict request may take without a queue (default 5; 0 turns the
   *                             standing-queue check off): when even the fastest request of an interval took
   *                             longer, the node admits a quarter less, and a quarter less again each
   *                             such interval, down to an eighth of {@code predictRequestsInFlight}; each
   *                             interval with a fast one doubles it back (CoDel's signal: bursts are queued,
   *                             sustained overload is shed)
   * @param predictQueueIntervalMs the interval of that check (default 100)
   * @param eventStreams Server-Sent Event streams open at once on the node (default 1000): a job's events
   *                     ({@code GET /api/v1/jobs/{id}/events}) and the console's dead letters; each holds a
   *                     subscription and a timer while it is open
   * @param connections HTTP connections (WebSockets included) open at once on the node (default 10,000); a
   *                    connection past it has its first request answered 503 MAILBOX_FULL and is closed, or is
   *                    closed after a second without one
   */
  public record Limits(long bodyBytesInFlight, long jsonValues, int predictRecords, long predictRowsInFlight,
                       long servedStateBytes, int predictRequestsInFlight, long predictQueueTargetMs,
                       long predictQueueIntervalMs, int eventStreams, int connections) {

    static Limits read(ConfigReader r, long bodyLimitBytes) {
      Limits l = new Limits(
          r.longValue("bodyBytesInFlight", Math.max(DEFAULT_BODY_BYTES_IN_FLIGHT, bodyLimitBytes), 1, Long.MAX_VALUE),
          r.longValue("jsonValues", 250_000, 1, Integer.MAX_VALUE),
          r.integer("predictRecords", 10_000, 1, Integer.MAX_VALUE),
          r.longValue("predictRowsInFlight", 50_000, 1, Long.MAX_VALUE),
          r.longValue("servedStateBytes", 64L * 1024 * 1024, 1024, Long.MAX_VALUE),
          r.integer("predictRequestsInFlight", 1024, 1, Integer.MAX_VALUE),
          r.longValue("predictQueueTargetMs", 5, 0, 60_000),
          r.longValue("predictQueueIntervalMs", 100, 1, 60_000),
          r.integer("eventStreams", 1000, 1, Integer.MAX_VALUE),
          r.integer("connections", 10_000, 1, Integer.MAX_VALUE));
      r.done();
      atLeast(r, "bodyBytesInFlight", l.bodyBytesInFlight, "http.bodyLimitBytes", bodyLimitBytes);
      atLeast(r, "predictRowsInFlight", l.predictRowsInFlight, r.path("predictRecords"), l.predictRecords);
      return l;
    }

    private static void atLeast(ConfigReader r, String key, long value, String other, long min) {
      if (value < min) {
        throw new ConfigException(r.path(key), "is " + value + " but must be at least " + other + " (" + min
            + "), or one request at that size could never be admitted; raise it or lower " + other);
      }
    }
  }

  /** The built-in defaults: disabled, 127.0.0.1:8080, nothing reachable. */
  public static HttpConfig defaults() {
    return read(new JsonObject());
  }

  /** Reads and validates the {@code http} section (an empty object gives the defaults). */
  public static HttpConfig read(JsonObject section) {
    ConfigReader r = new ConfigReader(section, "http");
    String host = host(r);
    long bodyLimit = r.longValue("bodyLimitBytes", DEFAULT_BODY_LIMIT, 1, Integer.MAX_VALUE);
    HttpConfig c = new HttpConfig(
        r.bool("enabled", false),
        host,
        r.integer("port", 8080, 0, 65535),
        r.integer("instances", 1, 1, 64),
        bodyLimit,
        r.longValue("requestTimeoutMs", 30_000, 1, 3_600_000),
        r.longValue("idleTimeoutMs", 60_000, 1_000, 86_400_000),
        r.longValue("shutdownTimeoutMs", 10_000, 0, 3_600_000),
        apiKeys(r),
        origins(r, "corsOrigins"),
        AddressAllowList.read(r.object("bus")),
        eventBus(r.object("eventbus")),
        Limits.read(r.object("limits"), bodyLimit),
        allowedHosts(r, host));
    r.done();
    if (c.port == 0 && c.instances > 1) {
      throw new ConfigException("http.instances", "is " + c.instances + " with http.port 0: each instance would "
          + "get its own random port; set http.port or use 1 instance");
    }
    return c;
  }

  private static String host(ConfigReader r) {
    String host = r.string("host", "127.0.0.1");
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(r.path("host"), "is '" + host + "' but must be a host name or IP address, "
          + "e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }
    return host;
  }

  private static List<String> apiKeys(ConfigReader r) {
    List<String> keys = r.strings("apiKeys", List.of());
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      if (k.length() < MIN_KEY_LENGTH || k.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new ConfigException(r.path("apiKeys") + "[" + i + "]", "must be at least " + MIN_KEY_LENGTH
            + " printable ASCII characters without spaces (it has " + k.length() + "); generate one with "
            + "'openssl rand -hex 24'");
      }
    }
    return keys;
  }

  private static List<String> origins(ConfigReader r, String key) {
    List<String> origins = r.strings(key, List.of());
    for (int i = 0; i < origins.size(); i++) {
      String o = origins.get(i);
      if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
        throw new ConfigException(r.path(key) + "[" + i + "]", "is '" + o + "' but must be an origin such as "
            + "'https://app.example.com' or 'http://localhost:3000' (scheme and host, no path), or '*'");
      }
    }
    return origins;
  }

  private static EventBusConfig eventBus(ConfigReader r) {
    EventBusConfig c = new EventBusConfig(
        r.bool("enabled", true),
        AddressAllowList.read(r.object("inbound")),
        AddressAllowList.read(r.object("outbound")),
        origins(r, "origins"),
        r.longValue("replyTimeoutMs", 30_000, 1, 3_600_000),
        r.integer("maxQueuedBytes", 1024 * 1024, 1024, Integer.MAX_VALUE),
        r.integer("maxSessions", 1000, 1, 1_000_000),
        r.integer("maxFrameBytes", 64 * 1024, 1024, 16 * 1024 * 1024),
        r.integer("maxHandlersPerSocket", 100, 1, 100_000),
        r.longValue("maxQueuedBytesPerNode", 64L * 1024 * 1024, 1024, Long.MAX_VALUE));
    r.done();
    return c;
  }

  private static List<String> allowedHosts(ConfigReader r, String host) {
    List<String> hosts = r.strings("allowedHosts", List.of());
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      if (!h.equals("*") && !HOST.matcher(h).matches()) {
        throw new ConfigException(r.path("allowedHosts") + "[" + i + "]", "is '" + h + "' but must be a host "
            + "name or IP address as browsers send it in the Host header, optionally with a port "
            + "('busflow.example.com', '10.0.0.5:8080', '[::1]'; no scheme, no path), or '*' to accept any");
      }
    }
    return hosts.isEmpty() ? defaultHosts(host) : hosts;
  }

  private static List<String> defaultHosts(String host) {
    String bound = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    boolean wildcard = bound.equals("0.0.0.0") || bound.equals("[::]");
    return wildcard || LOOPBACK_HOSTS.contains(bound) ? LOOPBACK_HOSTS
        : Stream.concat(LOOPBACK_HOSTS.stream(), Stream.of(bound)).toList();
  }

  /** Whether API keys are required. */
  public boolean keysRequired() {
    return !apiKeys.isEmpty();
  }
}
