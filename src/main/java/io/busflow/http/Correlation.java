package io.busflow.http;

import io.busflow.actor.Ids;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id — the client's {@value #HEADER} when it is a sane token, else a fresh
 * one — echoed in the response header, carried to actors as {@code bf-cid}, and named in error bodies and
 * log lines. Also notes when the request started, for deadlines. A {@link RequestCheck} that never refuses, so that
 * it runs in the same route handler as the checks that follow it.
 */
final class Correlation implements RequestCheck {

  /** The request and response header. */
  static final String HEADER = "X-Correlation-Id";
  private static final String KEY = "busflow.cid";
  private static final String STARTED = "busflow.started";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Stamps the request; never refuses it. */
  @Override
  public HttpFailure refusal(RoutingContext ctx) {
    String cid = given(ctx.request());
    ctx.put(KEY, cid);
    ctx.put(STARTED, System.currentTimeMillis());
    ctx.response().putHeader(HEADER, cid);
    return null;
  }

  /** The client's {@value #HEADER} of {@code req} when it is a sane token, else a fresh id. */
  static String given(HttpServerRequest req) {
    String given = req.getHeader(HEADER);
    return given != null && SANE.matcher(given).matches() ? given : Ids.next();
  }

  /** The request's correlation id (a fresh one if the handler did not run). */
  static String of(RoutingContext ctx) {
    String cid = ctx.get(KEY);
    if (cid == null) {
      cid = Ids.next();
      ctx.put(KEY, cid);
    }
    return cid;
  }

  /** When the request arrived, epoch milliseconds. */
  static long startedMillis(RoutingContext ctx) {
    Long t = ctx.get(STARTED);
    return t == null ? System.currentTimeMillis() : t;
  }
}
