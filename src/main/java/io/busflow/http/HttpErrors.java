package io.busflow.http;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.FatalErrors;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place where failures become HTTP responses. Every error body is an RFC 9457 problem
 * ({@code application/problem+json}): {@code {"type","title","status","detail","instance","code","correlationId"}},
 * where {@code type} is {@code urn:busflow:problem:<code>}, {@code title} names the code, {@code detail} says what
 * failed, where and what to do, {@code instance} is the request's path, and the extension members {@code code} (an
 * {@link ErrorCode} name) and {@code correlationId} are as in the {@code X-Correlation-Id} header and the
 * server's log line. A 405 carries {@code Allow} with the path's methods; a 415 carries {@code Accept}. A stack
 * trace is logged for unexpected exceptions only, and never sent. Each error is logged, except that shed requests
 * (503 MAILBOX_FULL) are counted and logged at most once per {@link ShedLog#INTERVAL_NANOS} with the count: an
 * overloaded node sheds thousands a second, and a line each would cost more than the shedding.
 *
 * <table>
 *   <caption>failure → status</caption>
 *   <tr><td>malformed JSON, unreadable request</td><td>400 BAD_REQUEST</td></tr>
 *   <tr><td>BAD_REQUEST from an actor</td><td>422</td></tr>
 *   <tr><td>UNAUTHORIZED / FORBIDDEN / NOT_FOUND / CONFLICT</td><td>401 / 403 / 404 / 409</td></tr>
 *   <tr><td>TOO_LARGE (body over the limit)</td><td>413</td></tr>
 *   <tr><td>wrong method / wrong Content-Type (BAD_REQUEST)</td><td>405 with Allow / 415 with Accept</td></tr>
 *   <tr><td>MAILBOX_FULL, STOPPING (with Retry-After) / NO_ACTOR</td><td>503</td></tr>
 *   <tr><td>TIMEOUT</td><td>504</td></tr>
 *   <tr><td>ACTOR_FAILED, anything unexpected</td><td>500</td></tr>
 * </table>
 */
final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
  /** Seconds a client should wait before retrying after MAILBOX_FULL or STOPPING. */
  static final String RETRY_AFTER_SECONDS = "1";

  /** An error answer; a message past {@link #MAX_DETAIL} characters keeps its start and its end (the remedy). */
  record HttpError(int status, ErrorCode code, String message) {
    HttpError {
      message = bounded(message);
    }
  }

  /** The most characters of an error's {@code detail} (and of its log line's message). */
  static final int MAX_DETAIL = 2000;

  /**
   * {@code message}, or when it is longer than {@link #MAX_DETAIL} (a value of the request quoted whole), its first
   * and last characters with the count of those left out between them.
   */
  static String bounded(String message) {
    if (message == null || message.length() <= MAX_DETAIL) {
      return message;
    }
    int head = MAX_DETAIL * 3 / 4;
    int tail = MAX_DETAIL / 4;
    return message.substring(0, head) + " … [" + (message.length() - head - tail) + " characters left out] … "
        + message.substring(message.length() - tail);
  }

  /** The media type of every error body. */
  static final String PROBLEM_JSON = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:busflow:problem:";
  private static final ShedLog SHED = new ShedLog();

  /** Counts shed requests; {@link #due} once per interval (the first at once), when a line should be logged. */
  static final class ShedLog {
    /** At most one line per 10 s. */
    static final long INTERVAL_NANOS = 10_000_000_000L;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    /** Counts one shed request; true when it is the one to log. */
    boolean due() {
      count.incrementAndGet();
      long now = System.nanoTime();
      long last = lastLine.get();
      return now - last >= INTERVAL_NANOS && lastLine.compareAndSet(last, now);
    }

    /** The shed requests counted since the last line, this one included. */
    long take() {
      return count.getAndSet(0);
    }
  }

  private final HttpConfig config;
  private final Router router;

  /** Maps failures for {@code router} (whose routes name the methods of a 405's {@code Allow}). */
  HttpErrors(HttpConfig config, Router router) {
    this.config = config;
    this.router = router;
  }

  /** The status an actor's failure code maps to. */
  static int status(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> 422;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case MAILBOX_FULL, NO_ACTOR, STOPPING -> 503;
      case TIMEOUT -> 504;
      case ACTOR_FAILED -> 500;
    };
  }

  /** The router's failure handler (and its 404/405 handler): answers {@code ctx} with its error. */
  void handle(RoutingContext ctx) {
    HttpError e = map(ctx);
    if (e.status() == 405) {
      ctx.response().putHeader(HttpHeaders.ALLOW, AllowedMethods.of(router, ctx.request().path()));
    }
    send(ctx, e);
  }

  HttpError map(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (FatalErrors.check(f)) {
      return new HttpError(503, ErrorCode.STOPPING, "this node met a fatal error (" + f + ") and is halting; "
          + "retry on another node");
    }
    if (f instanceof HttpFailure h) {
      return new HttpError(h.status(), h.code(), h.getMessage());
    }
    if (f instanceof ActorException a) {
      return new HttpError(status(a.code()), a.code(), a.getMessage());
    }
    if (f instanceof HttpException h) {
      return fromStatus(h.getStatusCode(), ctx);
    }
    if (f instanceof DecodeException d) {
      return new HttpError(400, ErrorCode.BAD_REQUEST, "the request body is not valid JSON: " + d.getMessage());
    }
    int status = ctx.statusCode();
    if (f != null && (status < 400 || status >= 500)) {
      return unexpected(ctx, f);
    }
    return fromStatus(status, ctx);
  }

  private HttpError fromStatus(int status, RoutingContext ctx) {
    String route = ctx.request().method() + " " + ctx.request().path();
    return switch (status) {
      case 404 -> new HttpError(404, ErrorCode.NOT_FOUND, "no route for " + route
          + "; the routes are listed in /api/v1/openapi.json");
      case 405 -> new HttpError(405, ErrorCode.BAD_REQUEST, ctx.request().method() + " is not allowed on "
          + ctx.request().path() + "; it answers " + AllowedMethods.of(router, ctx.request().path())
          + " (the routes and their methods are listed in /api/v1/openapi.json)");
      case 413 -> new HttpError(413, ErrorCode.TOO_LARGE, "the request body is larger than the limit of "
          + config.bodyLimitBytes() + " bytes (http.bodyLimitBytes); send less per request or raise the limit");
      case 503, 504 -> new HttpError(504, ErrorCode.TIMEOUT, route + " took longer than "
          + config.requestTimeoutMs() + " ms (http.requestTimeoutMs); retry later or raise the timeout");
      case 401 -> new HttpError(401, ErrorCode.UNAUTHORIZED, "credentials are missing for " + route);
      case 403 -> new HttpError(403, ErrorCode.FORBIDDEN, forbidden(route, ctx));
      default -> status >= 400 && status < 500
          ? new HttpError(status, ErrorCode.BAD_REQUEST, "the request " + route + " cannot be handled (HTTP "
              + status + ")")
          : new HttpError(500, ErrorCode.ACTOR_FAILED, "internal error while handling " + route
              + "; details in the server log under the correlation id");
    };
  }

  private static String forbidden(String route, RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    return origin == null ? "not allowed: " + route
        : "not allowed: " + route + " from origin '" + origin + "'; browser origins are allowed by http.corsOrigins";
  }

  private HttpError unexpected(RoutingContext ctx, Throwable f) {
    withCid(Correlation.of(ctx), () -> LOG.error("HTTP {} {} failed unexpectedly (correlation id {})", ctx.request().method(),
        ctx.request().path(), Correlation.of(ctx), f));
    return new HttpError(500, ErrorCode.ACTOR_FAILED, "internal error while handling "
        + ctx.request().method() + " " + ctx.request().path() + "; details in the server log under the "
        + "correlation id");
  }

  /** Writes {@code e} as the response, unless a response was already sent; logs it either way. */
  static void send(RoutingContext ctx, HttpError e) {
    String cid = Correlation.of(ctx);
    HttpServerResponse resp = ctx.response();
    boolean sent = resp.ended() || resp.closed();
    log(ctx.request(), e, cid, sent);
    if (sent) {
      return;
    }
    if (resp.headWritten()) {
      resp.end(); // a stream already under way: end it, the status cannot change any more
      return;
    }
    write(resp, e, problem(ctx.request().path(), cid, e));
  }

  /**
   * Answers {@code req} with {@code shed} (503 MAILBOX_FULL) before any route saw it ({@link EarlyShed}): the same
   * response and log accounting as {@link #send}, without a routing context.
   */
  static void shed(HttpServerRequest req, HttpFailure shed) {
    String cid = Correlation.given(req);
    HttpError e = new HttpError(shed.status(), shed.code(), shed.getMessage());
    log(req, e, cid, false);
    write(req.response(), e, problem(req.path(), cid, e));
  }

  private static void write(HttpServerResponse resp, HttpError e, JsonObject problem) {
    if (e.code() == ErrorCode.MAILBOX_FULL || e.code() == ErrorCode.STOPPING) {
      resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    if (e.status() == 401) {
      resp.putHeader("WWW-Authenticate", "Bearer realm=\"busflow\"");
    }
    if (e.status() == 415) {
      resp.putHeader(HttpHeaders.ACCEPT, ContentTypeCheck.JSON);
    }
    resp.setStatusCode(e.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
        .putHeader(Correlation.HEADER, problem.getString("correlationId"))
        .end(problem.encode());
  }

  /** The RFC 9457 problem for {@code e} in answer to {@code ctx}'s request. */
  static JsonObject problem(RoutingContext ctx, HttpError e) {
    return problem(ctx.request().path(), Correlation.of(ctx), e);
  }

  private static JsonObject problem(String path, String cid, HttpError e) {
    return new JsonObject()
        .put("type", TYPE_PREFIX + e.code().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("title", title(e.code()))
        .put("status", e.status())
        .put("detail", e.message())
        .put("instance", path)
        .put("code", e.code().name())
        .put("correlationId", cid);
  }

  /** "MAILBOX_FULL" → "Mailbox full": the same for every occurrence of the code, as RFC 9457 asks. */
  private static String title(ErrorCode code) {
    String words = code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /**
   * {@code {"error":{"code","message","correlationId"}}}: the {@code error} member of the readiness body only
   * (health is not an error response); every error response is a {@link #problem}.
   */
  static JsonObject body(HttpError e, String cid) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", e.code().name())
        .put("message", e.message())
        .put("correlationId", cid));
  }

  private static void log(HttpServerRequest req, HttpError e, String cid, boolean alreadySent) {
    if (e.code() == ErrorCode.MAILBOX_FULL && !alreadySent && !SHED.due()) {
      return;
    }
    withCid(cid, () -> {
      String fmt = "HTTP {} {} -> {} {} (correlation id {}): {}" + (alreadySent ? " [response already sent]" : "");
      Object[] args = {req.method(), req.path(), e.status(), e.code(), cid,
          e.code() == ErrorCode.MAILBOX_FULL ? e.message() + " [" + SHED.take() + " requests shed like this since the "
              + "last such line]" : e.message()};
      if (e.status() >= 500) {
        LOG.warn(fmt, args);
      } else {
        LOG.info(fmt, args);
      }
    });
  }

  private static void withCid(String cid, Runnable r) {
    MDC.put("cid", cid);
    try {
      r.run();
    } finally {
      MDC.remove("cid");
    }
  }
}
