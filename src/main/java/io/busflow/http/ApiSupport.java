package io.busflow.http;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.Headers;
import io.busflow.config.JsonProblems;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Duration;

/**
 * What routes share: the request timeout, body reading within the limit, JSON bodies, requests to actors
 * that carry the correlation id and the request's deadline, JSON answers, and failures through the one error
 * mapper. Handed to every {@link ApiModule}.
 */
public final class ApiSupport {

  /** How long after the request deadline the router gives up on a route that did not answer. */
  static final long GRACE_MS = 250;
  private static final int MAX_DETAIL = 300;

  private final Vertx vertx;
  private final HttpConfig config;
  private final Admission admission;

  ApiSupport(Vertx vertx, HttpConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.admission = Admission.of(vertx, config);
  }

  /** The node's admission counters. */
  Admission admission() {
    return admission;
  }

  /** The HTTP configuration. */
  public HttpConfig config() {
    return config;
  }

  /**
   * Fails the request with TIMEOUT (504) when it has not been answered {@code http.requestTimeoutMs} (plus a
   * short grace) after it arrived. Put it first on request-reply routes; never on streams.
   */
  public Handler<RoutingContext> timeout() {
    return TimeoutHandler.create(config.requestTimeoutMs() + GRACE_MS, 504);
  }

  /**
   * Reads the body, up to {@code http.bodyLimitBytes} (413 beyond) and within the node's
   * {@code http.limits.bodyBytesInFlight} (503 MAILBOX_FULL beyond, before the body is read); never writes to
   * disk. See {@link BodyReader}.
   */
  public Handler<RoutingContext> body() {
    return new BodyReader(config.bodyLimitBytes(), admission);
  }

  /**
   * The request body as a JSON value; a missing or malformed body is a 400 {@link HttpFailure}, one of more
   * than {@code http.limits.jsonValues} values a 413, found while it is decoded (no tree grows past the limit).
   */
  public Object jsonBody(RoutingContext ctx) {
    return jsonBody(ctx, Long.MAX_VALUE).value();
  }

  /**
   * The same, counting the elements of its top-level {@code records} array: past {@code maxRecords} the body is
   * counted to its end without being decoded further ({@link JsonShape.Decoded#tooManyRecords()}).
   */
  JsonShape.Decoded jsonBody(RoutingContext ctx, long maxRecords) {
    Buffer b = nonEmptyBody(ctx);
    try {
      return JsonShape.decode(b, config.limits().jsonValues(), maxRecords);
    } catch (DecodeException e) {
      throw HttpFailure.badRequest("the request body is not valid JSON: " + shorten(JsonProblems.describe(e))
          + "; send a JSON value with Content-Type: application/json");
    }
  }

  private static Buffer nonEmptyBody(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    if (b == null || b.length() == 0) {
      throw HttpFailure.badRequest(ctx.request().path() + " expects a JSON body; send one with "
          + "Content-Type: application/json, e.g. {}");
    }
    return b;
  }

  /**
   * Sends {@code body} to {@code address} as a request and completes with the reply body. Carries the
   * correlation id and the request's deadline ({@code bf-deadline}); fails with an {@link ActorException}:
   * the actor's own, NO_ACTOR when nothing listens, TIMEOUT naming the address.
   */
  public Future<Object> request(RoutingContext ctx, String address, Object body) {
    long deadline = Correlation.startedMillis(ctx) + config.requestTimeoutMs();
    DeliveryOptions opts = new DeliveryOptions()
        .setSendTimeout(remaining(ctx).toMillis())
        .addHeader(Headers.CORRELATION_ID, Correlation.of(ctx))
        .addHeader(Headers.DEADLINE, Long.toString(deadline));
    return vertx.eventBus().request(address, body, opts)
        .map(Message::body)
        .recover(t -> Future.failedFuture(failure(t, address)));
  }

  /** What is left of the request's time ({@code http.requestTimeoutMs} after it arrived); at least 1 ms. */
  public Duration remaining(RoutingContext ctx) {
    long deadline = Correlation.startedMillis(ctx) + config.requestTimeoutMs();
    return Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
  }

  private ActorException failure(Throwable t, String address) {
    if (t instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      return new ActorException(ErrorCode.TIMEOUT, "no reply from '" + address + "' within "
          + config.requestTimeoutMs() + " ms (http.requestTimeoutMs); the actor may be overloaded or gone — "
          + "retry later, add instances or raise the timeout");
    }
    return ActorException.of(t, address);
  }

  /** Answers with {@code status} and {@code body} encoded as JSON, unless the request was answered already. */
  public void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(Json.encodeToBuffer(body));
  }

  /** Answers with the error for {@code t} (through the one error mapper). */
  public void fail(RoutingContext ctx, Throwable t) {
    ctx.fail(t);
  }

  /** The request's correlation id. */
  public String correlationId(RoutingContext ctx) {
    return Correlation.of(ctx);
  }

  private static String shorten(String s) {
    return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
  }
}
