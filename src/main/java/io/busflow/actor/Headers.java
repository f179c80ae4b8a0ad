package io.busflow.actor;

/** The event-bus headers busflow reads and writes. Clients may set the first two. */
public final class Headers {

  /** Correlation id: propagated through every ask an actor makes while working on a request. */
  public static final String CORRELATION_ID = "bf-cid";
  /** Deadline in epoch milliseconds: an actor skips a request whose deadline passed (reply TIMEOUT). */
  public static final String DEADLINE = "bf-deadline";
  /** Where a busflow client waits for the reply of a request sent without a Vert.x reply address. */
  static final String REPLY_TO = "bf-reply";
  /** The request id the reply is matched with, unique per reply address. */
  static final String REQUEST_ID = "bf-rid";
  /** In a reply: the {@link ErrorCode} name when the reply is a failure (the body is its message). */
  static final String ERROR = "bf-error";

  private Headers() {}
}
