package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The JSON API takes JSON only: a request with a body must say {@code Content-Type: application/json}
 * (optionally with {@code charset=utf-8}), else 415 before the body is read. A "simple" cross-site request —
 * the {@code text/plain}, form or multipart POST any web page can send without asking — never reaches an actor.
 * Checks requests under {@code /api/} only; others pass.
 */
final class ContentTypeCheck implements RequestCheck {

  /** The one media type the API reads. */
  static final String JSON = "application/json";

  @Override
  public HttpFailure refusal(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!req.path().startsWith("/api/")) {
      return null;
    }
    String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
    if (!hasBody(req) || isJson(type)) {
      return null;
    }
    String got = type == null ? "a body without Content-Type" : "Content-Type '" + HostCheck.printable(type) + "'";
    return new HttpFailure(415, ErrorCode.BAD_REQUEST, req.method() + " " + req.path() + " accepts '" + JSON
        + "' only, not " + got + "; send the body as JSON with the header 'Content-Type: " + JSON + "'");
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    return req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
  }

  /** {@code application/json}, alone or with {@code charset=utf-8}; nothing else. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    if (contentType.equalsIgnoreCase(JSON)) {
      return true;
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].trim().equals(JSON)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().replace("\"", "");
      if (!param.isEmpty() && !param.replace(" ", "").equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }
}
