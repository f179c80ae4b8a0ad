package io.busflow.actor;

import io.vertx.core.eventbus.ReplyException;

/**
 * The closed set of failure kinds used everywhere in busflow: event-bus failure replies, HTTP error bodies,
 * dead letters and logs. On the event bus a failure reply is a {@link ReplyException} whose
 * {@code failureCode()} is {@link #wire()}, so plain Vert.x clients can tell the kinds apart too.
 */
public enum ErrorCode {
  /** The request is malformed or names something invalid; resending it unchanged fails again. */
  BAD_REQUEST(400),
  /** Credentials are missing. */
  UNAUTHORIZED(401),
  /** Credentials are wrong, or the address is not allowed. */
  FORBIDDEN(403),
  /** The named thing (job, pipeline, file, model) does not exist. */
  NOT_FOUND(404),
  /** The request clashes with work in progress (e.g. two jobs writing one output). */
  CONFLICT(409),
  /** The request body is larger than the configured limit. */
  TOO_LARGE(413),
  /** The actor's mailbox is full; retry later or add instances. */
  MAILBOX_FULL(429),
  /** The actor failed while handling the request (a bug or a broken state, logged on its node). */
  ACTOR_FAILED(500),
  /** No actor listens at the address. */
  NO_ACTOR(502),
  /** The actor is shutting down and takes no new work. */
  STOPPING(503),
  /** The deadline passed before a reply. */
  TIMEOUT(504);

  private final int wire;

  ErrorCode(int wire) {
    this.wire = wire;
  }

  /** The stable number carried as {@link ReplyException#failureCode()}. */
  public int wire() {
    return wire;
  }

  /** The code whose {@link #wire()} is {@code failureCode}; {@link #ACTOR_FAILED} for foreign numbers. */
  public static ErrorCode fromWire(int failureCode) {
    for (ErrorCode c : values()) {
      if (c.wire == failureCode) {
        return c;
      }
    }
    return ACTOR_FAILED;
  }

  /** The code for a name such as {@code "MAILBOX_FULL"}; {@link #ACTOR_FAILED} for unknown names. */
  public static ErrorCode fromName(String name) {
    for (ErrorCode c : values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return ACTOR_FAILED;
  }
}
