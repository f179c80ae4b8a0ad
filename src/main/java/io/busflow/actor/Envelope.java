package io.busflow.actor;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;

/**
 * A request as an actor sees it: the body, its headers, its correlation id and its deadline. Valid while
 * the actor works on that request.
 */
public final class Envelope {

  private final String address;
  private final Object body;
  private final MultiMap headers;
  private final String correlationId;
  private final long deadlineMillis;

  Envelope(String address, Object body, MultiMap headers, String correlationId, long deadlineMillis) {
    this.address = address;
    this.body = body;
    this.headers = headers;
    this.correlationId = correlationId;
    this.deadlineMillis = deadlineMillis;
  }

  static Envelope of(Message<?> m, long defaultTimeoutMs, long arrivedMillis) {
    MultiMap h = m.headers();
    String cid = h.get(Headers.CORRELATION_ID);
    if (cid == null) {
      cid = Ids.next();
    }
    String d = h.get(Headers.DEADLINE);
    long deadline = d != null ? parseDeadline(d) : arrivedMillis + defaultTimeoutMs;
    return new Envelope(m.address(), m.body(), h, cid, deadline);
  }

  private static long parseDeadline(String d) {
    try {
      return Long.parseLong(d);
    } catch (NumberFormatException e) {
      throw ActorException.badRequest("header '" + Headers.DEADLINE + "' is '" + d
          + "'; it must be epoch milliseconds");
    }
  }

  public String address() {
    return address;
  }

  public Object body() {
    return body;
  }

  public MultiMap headers() {
    return headers;
  }

  /** The id that ties together the log lines and messages of one request or job. */
  public String correlationId() {
    return correlationId;
  }

  /** Epoch milliseconds after which the sender no longer waits for the reply. */
  public long deadlineMillis() {
    return deadlineMillis;
  }

  /** Milliseconds left before the deadline (negative once passed). */
  public long remainingMillis() {
    return deadlineMillis - System.currentTimeMillis();
  }
}
