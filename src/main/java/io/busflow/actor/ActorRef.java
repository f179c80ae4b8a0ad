package io.busflow.actor;

import io.busflow.actor.internal.ActorRegistry;
import io.busflow.actor.internal.Codecs;
import io.busflow.actor.internal.DeadLetters;
import io.busflow.config.Threading;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;

/**
 * A handle on an actor's address. {@link #ask} sends a request and completes with its one reply or fails
 * with an {@link ActorException} ({@link ErrorCode#NO_ACTOR} at once when nothing listens,
 * {@link ErrorCode#TIMEOUT} after the timeout, or the actor's own failure code); {@link #tell} sends
 * without a reply; {@link #publish} reaches every subscriber. Every message carries a correlation id and,
 * for asks, a deadline the actor honours. Cheap to create; immutable; usable from any thread (callbacks
 * run on the caller's Vert.x context when there is one).
 */
public final class ActorRef {

  /** The timeout of {@link #ask(Object)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final String address;
  private final String correlationId;
  private final long timeoutMs;
  private final boolean localOnly;

  private ActorRef(Vertx vertx, String address, String correlationId, long timeoutMs, boolean localOnly) {
    this.vertx = vertx;
    this.address = address;
    this.correlationId = correlationId;
    this.timeoutMs = timeoutMs;
    this.localOnly = localOnly;
  }

  public static ActorRef of(Vertx vertx, String address) {
    Codecs.ensureRegistered(vertx);
    return new ActorRef(vertx, address, null, DEFAULT_TIMEOUT.toMillis(), false);
  }

  public String address() {
    return address;
  }

  /** The same address, stamping {@code cid} on every message instead of a fresh id. */
  public ActorRef withCorrelationId(String cid) {
    return new ActorRef(vertx, address, cid, timeoutMs, localOnly);
  }

  /** The same address with another default ask timeout. */
  public ActorRef withTimeout(Duration timeout) {
    return new ActorRef(vertx, address, correlationId, Math.max(1, timeout.toMillis()), localOnly);
  }

  /**
   * The same address, its asks delivered only to instances on this node ({@code NO_ACTOR} when none is
   * left here): for work whose batches should not cross the wire when a local instance can take them.
   */
  public ActorRef localOnly() {
    return new ActorRef(vertx, address, correlationId, timeoutMs, true);
  }

  public <R> Future<R> ask(Object message) {
    return ask(message, timeoutMs);
  }

  public <R> Future<R> ask(Object message, Duration timeout) {
    return ask(message, Math.max(1, timeout.toMillis()));
  }

  private <R> Future<R> ask(Object message, long timeout) {
    String cid = correlationId != null ? correlationId : Ids.next();
    DeliveryOptions opts = new DeliveryOptions()
        .addHeader(Headers.CORRELATION_ID, cid)
        .addHeader(Headers.DEADLINE, Long.toString(System.currentTimeMillis() + timeout))
        .setLocalOnly(localOnly);
    Context ctx = Vertx.currentContext();
    // an idle per-loop instance on this thread takes the ask without a hand-off between threads
    Actor<?> here = ctx != null && ctx.owner() == vertx && ctx.isEventLoopContext() ? SameLoop.here(address) : null;
    if (!vertx.isClustered() && !traced() && ctx != null && ctx.owner() == vertx) {
      // one JVM: one reply consumer and one timeout sweep per context beat a registration per request, and the
      // instance here is handed the ask without the event bus; clustered, Vert.x's own replies go straight to the
      // sender's node, which a routed address cannot; traced, Vert.x's request-reply makes one span per ask and
      // answers on the asker's (traced) context
      return ReplyRouter.on(ctx).ask(address, here, message, opts, cid, timeout);
    }
    String via = here == null ? address : here.loopAddress();
    return vertx.eventBus().<R>request(via, message, opts.setSendTimeout(timeout))
        .map(Message::body)
        .recover(t -> Future.failedFuture(failure(vertx, t, address)));
  }

  /**
   * {@code t} as an {@link ActorException} about {@code address}. A {@code NO_ACTOR} also says when this node runs
   * the address only {@code per-loop}: such instances take only the asks made on their own event loops, so an ask
   * from anywhere else needs another entry at the address.
   */
  static ActorException failure(Vertx vertx, Throwable t, String address) {
    ActorException e = ActorException.of(t, address);
    if (e.code() != ErrorCode.NO_ACTOR) {
      return e;
    }
    return ActorRegistry.of(vertx).instances().stream()
        .filter(c -> c.address().equals(address) && c.threading().equals(Threading.PER_LOOP.name()))
        .findFirst()
        .map(c -> perLoopOnly(e, c.name(), address))
        .orElse(e);
  }

  private static ActorException perLoopOnly(ActorException noActor, String name, String address) {
    return new ActorException(ErrorCode.NO_ACTOR, noActor.getMessage() + " This node runs '" + name + "' there only "
        + "per-loop (actors." + name + ".threading), whose instances take the asks made on their own event loops "
        + "while idle; this ask came from elsewhere: add an event-loop or worker entry at '" + address + "'");
  }

  private boolean traced() {
    return vertx instanceof VertxInternal v && v.tracer() != null;
  }

  /** Sends without a reply; the future fails with NO_ACTOR when nothing listens (also a dead letter). */
  public Future<Void> tell(Object message) {
    String cid = correlationId != null ? correlationId : Ids.next();
    DeliveryOptions opts = new DeliveryOptions().addHeader(Headers.CORRELATION_ID, cid);
    return vertx.eventBus().sender(address, opts).write(message)
        .recover(t -> undelivered(t, cid));
  }

  /** Delivers to every subscriber of the address; succeeds also when there is none. */
  public Future<Void> publish(Object message) {
    String cid = correlationId != null ? correlationId : Ids.next();
    vertx.eventBus().publish(address, message, new DeliveryOptions().addHeader(Headers.CORRELATION_ID, cid));
    return Future.succeededFuture();
  }

  private Future<Void> undelivered(Throwable t, String cid) {
    ActorException e = ActorException.of(t, address);
    DeadLetters.publish(vertx, address, e.code(), cid, e.getMessage());
    return Future.failedFuture(e);
  }

  @Override
  public String toString() {
    return "ActorRef[" + address + "]";
  }
}
