package io.busflow.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks {@code Authorization: Bearer <key>} against {@code http.apiKeys}: missing gives 401, wrong gives 403.
 * Keys are compared as SHA-256 digests in constant time, over every configured key.
 */
final class ApiKeys implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";
  private final List<byte[]> digests;

  ApiKeys(List<String> keys) {
    this.digests = keys.stream().map(ApiKeys::digest).toList();
  }

  boolean required() {
    return !digests.isEmpty();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpFailure f = check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (f == null) {
      ctx.next();
    } else {
      ctx.fail(f);
    }
  }

  /** {@code null} when {@code authorization} (a header value, maybe null) carries an accepted key. */
  HttpFailure check(String authorization) {
    if (!required()) {
      return null;
    }
    if (authorization == null || authorization.isBlank()) {
      return HttpFailure.unauthorized("this server needs an API key: send 'Authorization: Bearer <key>' with "
          + "one of the keys configured in http.apiKeys");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return HttpFailure.unauthorized("the Authorization header is not a bearer token: send "
          + "'Authorization: Bearer <key>'");
    }
    return accepted(authorization.substring(BEARER.length()).trim()) ? null
        : HttpFailure.forbidden("the API key is not accepted: check it against http.apiKeys");
  }

  private boolean accepted(String key) {
    byte[] d = digest(key);
    boolean ok = false;
    for (byte[] known : digests) {
      ok |= MessageDigest.isEqual(known, d);
    }
    return ok;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
