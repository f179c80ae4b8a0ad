package io.busflow.http;

import io.busflow.actor.FatalErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The HTTP server's request handler: answers a request on a connection past {@code http.limits.connections},
 * sheds a predict request before the router sees it when the node's {@link Admission} would refuse it anyway, and
 * hands every other request to the router. An overloaded node answers thousands of such requests a second; here
 * each costs a header lookup and a small write instead of a routing context, the route checks and the failure
 * handler, so that shedding takes little of the event loop the admitted requests need, and the router's code keeps
 * the one path its compiled form was made for.
 *
 * <p>A connection past the limit gets 503 MAILBOX_FULL with {@code Retry-After} for its first request, and is
 * closed once that answer is written; {@code /health/} and {@code /metrics} requests on it are answered by the
 * router first, so that a probe sees a busy node, not a dead one, and a scraper sees why.
 *
 * <p>Only predict requests that every check before the route's admission would pass are shed here: {@code POST}
 * to {@code /api/v1/pipelines/{name}/predict} with a JSON {@code Content-Type}, a {@code Host} this server answers
 * to and no {@code Origin}, on a node without CORS or API keys (those answer first) that has not met a fatal
 * error. The response is the route's own: 503 MAILBOX_FULL with {@code Retry-After}, the same problem body and
 * correlation id, counted in the same shed log line.
 */
final class EarlyShed implements Handler<HttpServerRequest> {

  private static final String PREFIX = "/api/v1/pipelines/";
  private static final String SUFFIX = "/predict";
  private static final String HEALTH = "/health/";
  private static final String METRICS = "/metrics";

  private final Handler<HttpServerRequest> router;
  private final Admission admission;
  /** Null where CORS or API keys answer before admission: no predict request is shed here then. */
  private final HostCheck hosts;

  private EarlyShed(Handler<HttpServerRequest> router, Admission admission, HostCheck hosts) {
    this.router = router;
    this.admission = admission;
    this.hosts = hosts;
  }

  /** {@code router} behind the connection limit and the shedding. */
  static Handler<HttpServerRequest> before(Handler<HttpServerRequest> router, Admission admission, HttpConfig config) {
    boolean checksFirst = !config.corsOrigins().isEmpty() || config.keysRequired();
    return new EarlyShed(router, admission, checksFirst ? null : new HostCheck(config.allowedHosts()));
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpFailure overLimit = admission.connectionRefusal(req.connection());
    if (overLimit != null) {
      // taken out of service: closed once this request's answer is written, not cut while it is
      req.connection().shutdown(Admission.OVER_LIMIT_ANSWER_TIME);
      if (req.path().startsWith(HEALTH) || req.path().equals(METRICS)) {
        router.handle(req);
      } else {
        HttpErrors.shed(req, overLimit);
      }
      return;
    }
    HttpFailure refused = refusal(req);
    if (refused == null) {
      router.handle(req);
    } else {
      admission.shedBeforeRouting();
      HttpErrors.shed(req, refused);
    }
  }

  private HttpFailure refusal(HttpServerRequest req) {
    if (hosts == null || req.method() != HttpMethod.POST || !isPredict(req.path())) {
      return null;
    }
    HttpFailure refused = admission.predictRefusal();
    if (refused == null || FatalErrors.failed() || req.getHeader(HttpHeaders.ORIGIN) != null
        || !ContentTypeCheck.isJson(req.getHeader(HttpHeaders.CONTENT_TYPE)) || !hosts.allows(req)) {
      return null;
    }
    return refused;
  }

  /** Whether {@code path} is {@code /api/v1/pipelines/{name}/predict} (one non-empty segment for the name). */
  static boolean isPredict(String path) {
    int nameEnd = path.length() - SUFFIX.length();
    return nameEnd > PREFIX.length() && path.startsWith(PREFIX) && path.endsWith(SUFFIX)
        && path.indexOf('/', PREFIX.length()) == nameEnd;
  }
}
