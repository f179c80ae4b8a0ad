package io.busflow.actor;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a code from {@link ErrorCode}. Thrown (or returned as a failed future) by a handler, it
 * becomes the failure reply as it is: an expected error, part of the protocol. Asks fail with it too.
 */
public class ActorException extends RuntimeException {

  private final ErrorCode code;

  public ActorException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ActorException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ActorException badRequest(String message) {
    return new ActorException(ErrorCode.BAD_REQUEST, message);
  }

  public static ActorException notFound(String message) {
    return new ActorException(ErrorCode.NOT_FOUND, message);
  }

  public static ActorException conflict(String message) {
    return new ActorException(ErrorCode.CONFLICT, message);
  }

  /**
   * The busflow view of any failure: an {@link ActorException} as it is, a Vert.x {@link ReplyException}
   * mapped to its code (no handlers → {@link ErrorCode#NO_ACTOR}, timeout → {@link ErrorCode#TIMEOUT}),
   * anything else {@link ErrorCode#ACTOR_FAILED}.
   */
  public static ActorException of(Throwable t, String address) {
    if (t instanceof ActorException e) {
      return e;
    }
    if (t instanceof ReplyException r) {
      return fromReply(r, address);
    }
    return new ActorException(ErrorCode.ACTOR_FAILED, String.valueOf(t.getMessage() == null ? t : t.getMessage()), t);
  }

  private static ActorException fromReply(ReplyException r, String address) {
    if (r.failureType() == ReplyFailure.NO_HANDLERS) {
      return new ActorException(ErrorCode.NO_ACTOR, noActor(address));
    }
    if (r.failureType() == ReplyFailure.TIMEOUT) {
      return new ActorException(ErrorCode.TIMEOUT, "no reply from '" + address + "' in time: " + r.getMessage()
          + "; the actor may be overloaded or gone — raise the timeout or add instances");
    }
    return new ActorException(ErrorCode.fromWire(r.failureCode()), r.getMessage());
  }

  static String noActor(String address) {
    return "no actor at '" + address + "' — is a node hosting it running?";
  }

  /** The Vert.x failure reply for this exception. */
  public ReplyException toReply() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.wire(), getMessage());
  }
}
