package io.busflow.http;

import io.busflow.actor.ErrorCode;

/**
 * A failure the HTTP layer itself raises (malformed JSON, a missing key, an address not allowed), with the
 * HTTP status it gets. Failures from actors arrive as {@link io.busflow.actor.ActorException} instead, so
 * that an actor's {@code BAD_REQUEST} (422) stays apart from a request that is not even JSON (400).
 */
public final class HttpFailure extends RuntimeException {

  private final int status;
  private final ErrorCode code;

  public HttpFailure(int status, ErrorCode code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** 400: the request cannot be read (not JSON, missing body). */
  public static HttpFailure badRequest(String message) {
    return new HttpFailure(400, ErrorCode.BAD_REQUEST, message);
  }

  /** 401: credentials are missing. */
  public static HttpFailure unauthorized(String message) {
    return new HttpFailure(401, ErrorCode.UNAUTHORIZED, message);
  }

  /** 403: credentials are wrong, or the address is not allowed. */
  public static HttpFailure forbidden(String message) {
    return new HttpFailure(403, ErrorCode.FORBIDDEN, message);
  }

  /** 404: nothing here. */
  public static HttpFailure notFound(String message) {
    return new HttpFailure(404, ErrorCode.NOT_FOUND, message);
  }

  public int status() {
    return status;
  }

  public ErrorCode code() {
    return code;
  }
}
