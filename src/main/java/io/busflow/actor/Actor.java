package io.busflow.actor;

import io.busflow.actor.internal.ActorCounters;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.actor.internal.Codecs;
import io.busflow.actor.internal.DeadLetters;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.config.Threading;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An actor: a verticle whose mailbox is an event-bus address. Extend it and implement
 * {@link #onMessage(Object)}; the base class owns the rest.
 *
 * <p>Guarantees, per instance: {@link #start()} completes only once the consumer is registered
 * (cluster-wide when clustered); messages are handled one at a time, the next starting only after the
 * previous reply future completes, in arrival order; every request gets exactly one reply or one failure
 * with an {@link ErrorCode}; a full mailbox answers {@link ErrorCode#MAILBOX_FULL} at once; a request whose
 * deadline passed while queued is answered {@link ErrorCode#TIMEOUT} without being handled; every failure
 * and every undelivered message is published on {@link DeadLetters#ADDRESS}; on stop, new requests get
 * {@link ErrorCode#STOPPING}, the queue drains within the drain timeout and what is left gets STOPPING.
 * A handler may hand its reply to work done elsewhere with {@link #replyLater(Future)}: the next message
 * starts at once, and the request is still answered exactly once.
 *
 * <p>A handler that throws or fails with an {@link ActorException} fails that request with its code. Any
 * other exception fails it with {@link ErrorCode#ACTOR_FAILED} and counts towards the supervision window;
 * more failures than allowed — or a call to {@link #crash(Throwable)} — crash the instance, and its
 * supervisor restarts it with backoff, handing the queued requests to the new instance.
 *
 * @param <M> the decoded message type
 */
public abstract class Actor<M> extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  private enum State { STARTING, RUNNING, STOPPING, CRASHED, STOPPED }

  private final String defaultAddress;
  private final MessageDecoder<M> decoder;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final ArrayDeque<Long> recentFailures = new ArrayDeque<>();

  private ActorConfig settings;
  private ActorCounters counters;
  private MessageConsumer<Object> consumer;
  private Context actorContext;
  private State state = State.STARTING;
  private Message<Object> inFlight;
  private Envelope current;
  /** Requests answered by {@link #replyLater}: handled, their reply still to come. */
  private final Map<Message<Object>, Envelope> awaiting = new LinkedHashMap<>();
  private Promise<Void> drained;
  /** A {@link Threading#PER_LOOP} instance's node-local address; null for the others. */
  private String loopAddress;
  private CrashListener crashListener;
  private Actor<?> successor;

  /**
   * @param defaultAddress the address used when the configuration names none (the protocol's constant)
   * @param decoder turns raw bodies into {@code M}; see {@link MessageDecoder}
   */
  protected Actor(String defaultAddress, MessageDecoder<M> decoder) {
    this.defaultAddress = defaultAddress;
    this.decoder = decoder;
  }

  /** Handles one message; the future's value is the reply body (JSON, a string, a batch, or null). */
  protected abstract Future<?> onMessage(M message);

  /** Actor-specific start-up, run before the mailbox opens; a failure fails the deployment. */
  protected Future<?> onStart() {
    return Future.succeededFuture();
  }

  /** Actor-specific clean-up, run after the mailbox drained. */
  protected Future<?> onStop() {
    return Future.succeededFuture();
  }

  @Override
  public final Future<?> start() {
    try {
      settings = readSettings();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    actorContext = context;
    Codecs.ensureRegistered(vertx);
    counters = new ActorCounters(settings.name(), settings.address(), settings.threading().name(),
        deploymentID(), this::depth);
    return onStart()
        .compose(v -> openMailbox())
        .onSuccess(v -> {
          state = State.RUNNING;
          ActorRegistry.of(vertx).add(counters);
        });
  }

  /** The actor's name when its configuration names none: its class's simple name. */
  protected String defaultName() {
    return getClass().getSimpleName();
  }

  private ActorConfig readSettings() {
    if (config().isEmpty()) {
      return ActorConfig.defaults(defaultName(), defaultAddress);
    }
    String name = config().getString("name", defaultName());
    var json = config().copy();
    json.remove("name");
    return ActorConfig.read(name, new ConfigReader(json, "actors." + name), defaultAddress);
  }

  private Future<Void> openMailbox() {
    if (settings.threading() != Threading.PER_LOOP) {
      consumer = vertx.eventBus().consumer(settings.address(), this::onArrival);
      return consumer.completion();
    }
    loopAddress = settings.address() + "@" + deploymentID();
    consumer = vertx.eventBus().localConsumer(loopAddress, this::onArrival);
    return consumer.completion().onSuccess(v -> SameLoop.add(settings.address(), this));
  }

  @Override
  public final Future<?> stop() {
    ActorRegistry.of(vertx).remove(counters);
    if (loopAddress != null) {
      SameLoop.remove(settings.address(), this);
    }
    if (state == State.CRASHED) {
      return unregister().onComplete(ar -> handOver());
    }
    if (state == State.STOPPED) {
      return unregister();
    }
    state = State.STOPPING;
    drained = Promise.promise();
    if (idle()) {
      drained.tryComplete();
    } else {
      long timer = vertx.setTimer(Math.max(1, settings.drainTimeoutMs()), t -> drainTimedOut());
      drained.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return drained.future()
        .compose(v -> onStop().<Void>mapEmpty().recover(this::logStopFailure))
        .eventually(this::unregister)
        .onComplete(ar -> state = State.STOPPED);
  }

  private Future<Void> logStopFailure(Throwable t) {
    LOG.warn("actor '{}' at '{}': clean-up failed: {}", settings.name(), settings.address(), t.toString());
    return Future.succeededFuture();
  }

  private Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private boolean idle() {
    return inFlight == null && queue.isEmpty() && awaiting.isEmpty();
  }

  private void drainTimedOut() {
    awaiting.forEach((m, env) -> failRequest(m, env, ErrorCode.STOPPING, describeSelf() + " stopped after its drain "
        + "timeout of " + settings.drainTimeoutMs() + " ms while the reply to this request was still being made; "
        + "retry on another instance"));
    awaiting.clear();
    if (inFlight != null) {
      String what = "stopped after its drain timeout of " + settings.drainTimeoutMs()
          + " ms while this request was still in progress";
      failRequest(inFlight, current, ErrorCode.STOPPING, describeSelf() + " " + what + "; retry on another instance");
      inFlight = null;
    }
    failQueued(ErrorCode.STOPPING, describeSelf() + " stopped after its drain timeout of "
        + settings.drainTimeoutMs() + " ms before reaching this request; retry on another instance");
    drained.tryComplete();
  }

  // ---------------------------------------------------------------- the mailbox

  private void onArrival(Message<Object> m) {
    counters.received();
    switch (state) {
      case STOPPING, STOPPED -> reject(m, ErrorCode.STOPPING, describeSelf() + " is stopping and takes no new work; "
          + "retry on another instance");
      default -> enqueue(m);
    }
  }

  /** A request waiting in the mailbox; {@code arrival} is the context Vert.x delivered it on (its trace). */
  record Queued(Message<Object> message, long arrivedMillis, Context arrival) {}

  private void enqueue(Message<Object> m) {
    if (queue.size() >= settings.mailboxCapacity()) {
      reject(m, ErrorCode.MAILBOX_FULL, describeSelf() + " has a full mailbox (" + queue.size()
          + " queued, capacity " + settings.mailboxCapacity() + "); retry later, raise "
          + "mailboxCapacity or add instances");
      return;
    }
    queue.add(new Queued(m, System.currentTimeMillis(), Vertx.currentContext()));
    drain();
  }

  private void drain() {
    while (inFlight == null && (state == State.RUNNING || state == State.STOPPING)) {
      Queued next = queue.poll();
      if (next == null) {
        completeDrainIfIdle();
        return;
      }
      process(next);
    }
  }

  private void process(Queued q) {
    Message<Object> m = q.message();
    long now = System.currentTimeMillis();
    Envelope env;
    try {
      env = Envelope.of(m, settings.requestTimeoutMs(), q.arrivedMillis());
    } catch (ActorException e) {
      reject(m, e.code(), e.getMessage());
      return;
    }
    if (env.deadlineMillis() < now) {
      failRequest(m, env, ErrorCode.TIMEOUT, describeSelf() + " skipped request " + env.correlationId()
          + ": its deadline passed " + (now - env.deadlineMillis()) + " ms before it reached the front of the "
          + "mailbox; raise the timeout or add instances");
      return;
    }
    inFlight = m;
    current = env;
    long started = System.nanoTime();
    Future<?> reply = invokeOn(q.arrival(), env);
    if (reply.isComplete()) {
      finish(m, env, reply, started);
    } else {
      reply.onComplete(ar -> actorContext.runOnContext(v -> {
        finish(m, env, ar, started);
        drain();
      }));
    }
  }

  private void completeDrainIfIdle() {
    if (state == State.STOPPING && drained != null && idle()) {
      drained.tryComplete();
    }
  }

  /**
   * Handles the request on the context it arrived on — a duplicate of this actor's own, holding its trace —
   * also when it waited in the mailbox and its turn comes on another one; what the handler starts (asks,
   * blocking work) stays in the request's trace and on this actor's thread.
   */
  private Future<?> invokeOn(Context arrival, Envelope env) {
    if (!(arrival instanceof ContextInternal a) || a == Vertx.currentContext() || a.unwrap() != actorContext) {
      return invoke(env);
    }
    ContextInternal previous = a.beginDispatch();
    try {
      return invoke(env);
    } finally {
      a.endDispatch(previous);
    }
  }

  private Future<?> invoke(Envelope env) {
    MDC.put("cid", env.correlationId());
    try {
      Future<?> f = onMessage(decoder.decode(env));
      return f == null ? Future.succeededFuture() : f;
    } catch (Throwable t) {
      FatalErrors.check(t);
      return Future.failedFuture(t);
    } finally {
      MDC.remove("cid");
    }
  }

  private void finish(Message<Object> m, Envelope env, AsyncResult<?> ar, long startedNanos) {
    if (inFlight != m) {
      return; // already answered (drain timeout)
    }
    inFlight = null;
    current = null;
    counters.processed(System.nanoTime() - startedNanos);
    if (ar.succeeded() && ar.result() instanceof Later later) {
      awaiting.put(m, env);
      later.reply().onComplete(r -> actorContext.runOnContext(v -> settleLater(m, r)));
    } else if (ar.succeeded()) {
      replyTo(m, env, ar.result());
    } else {
      onHandlerFailure(m, env, ar.cause());
    }
  }

  private void settleLater(Message<Object> m, AsyncResult<?> r) {
    Envelope env = awaiting.remove(m);
    if (env == null) {
      return; // answered STOPPING at the drain timeout
    }
    if (r.succeeded()) {
      replyTo(m, env, r.result());
    } else {
      onHandlerFailure(m, env, r.cause());
    }
    completeDrainIfIdle();
  }

  private void onHandlerFailure(Message<Object> m, Envelope env, Throwable cause) {
    if (cause instanceof ActorException e) {
      failRequest(m, env, e.code(), e.getMessage());
      return;
    }
    if (FatalErrors.check(cause)) {
      failRequest(m, env, ErrorCode.ACTOR_FAILED, describeSelf() + " met " + cause + " on request "
          + env.correlationId() + "; its node halts and must be restarted — retry on another node");
      return;
    }
    MDC.put("cid", env.correlationId());
    LOG.error("actor '{}' at '{}' failed on request {}", settings.name(), settings.address(),
        env.correlationId(), cause);
    MDC.remove("cid");
    failRequest(m, env, ErrorCode.ACTOR_FAILED, describeSelf() + " failed on request " + env.correlationId()
        + ": " + cause + " (details in the log of its node)");
    countFailure(cause);
  }

  private void countFailure(Throwable cause) {
    long now = System.currentTimeMillis();
    recentFailures.add(now);
    while (!recentFailures.isEmpty() && recentFailures.peek() < now - settings.supervision().windowMs()) {
      recentFailures.poll();
    }
    if (recentFailures.size() > settings.supervision().maxFailures()) {
      crash(new IllegalStateException(recentFailures.size() + " failures within "
          + settings.supervision().windowMs() + " ms (more than maxFailures="
          + settings.supervision().maxFailures() + "); last: " + cause, cause));
    }
  }

  // ---------------------------------------------------------------- replies

  private void replyTo(Message<Object> m, Envelope env, Object body) {
    try {
      if (m.replyAddress() != null) {
        m.reply(body); // the asker knows its correlation id; headers would only cost on the wire
      } else {
        String replyTo = m.headers().get(Headers.REPLY_TO);
        if (replyTo != null) {
          DeliveryOptions opts = new DeliveryOptions()
              .addHeader(Headers.REQUEST_ID, m.headers().get(Headers.REQUEST_ID));
          vertx.eventBus().sender(replyTo, opts).write(body)
              .onFailure(t -> DeadLetters.publish(vertx, replyTo, ErrorCode.NO_ACTOR, env.correlationId(),
                  "reply from '" + settings.address() + "' found no one waiting: " + t.getMessage()));
        }
      }
      counters.replied();
    } catch (RuntimeException e) {
      // e.g. no codec for the reply's type: still exactly one reply, a failure naming the cause
      failRequest(m, env, ErrorCode.ACTOR_FAILED, describeSelf() + " produced a reply it cannot send: " + e);
    }
  }

  private void reject(Message<Object> m, ErrorCode code, String text) {
    failRequest(m, null, code, text);
  }

  private void failRequest(Message<Object> m, Envelope env, ErrorCode code, String text) {
    String cid = env != null ? env.correlationId() : m.headers().get(Headers.CORRELATION_ID);
    counters.failed(code);
    DeadLetters.publish(vertx, settings.address(), code, cid, text);
    if (m.replyAddress() != null) {
      m.fail(code.wire(), text);
      return;
    }
    String replyTo = m.headers().get(Headers.REPLY_TO);
    if (replyTo == null) {
      return; // a tell: the dead letter is all there is
    }
    DeliveryOptions opts = new DeliveryOptions().addHeader(Headers.ERROR, code.name())
        .addHeader(Headers.REQUEST_ID, m.headers().get(Headers.REQUEST_ID));
    if (cid != null) {
      opts.addHeader(Headers.CORRELATION_ID, cid);
    }
    vertx.eventBus().sender(replyTo, opts).write(text);
  }

  // ---------------------------------------------------------------- supervision

  /** Receives an instance that crashed; set by the supervisor that deployed it. */
  public interface CrashListener {
    void crashed(Actor<?> actor, Throwable cause);
  }

  final void crashListener(CrashListener listener) {
    this.crashListener = listener;
  }

  /**
   * Declares this instance broken: it handles nothing more; its supervisor redeploys a fresh instance and
   * hands it the queued requests. Without a supervisor the queued requests fail with ACTOR_FAILED and the
   * instance undeploys itself.
   */
  protected final void crash(Throwable cause) {
    if (state != State.RUNNING) {
      return;
    }
    state = State.CRASHED;
    counters.crashed();
    LOG.error("actor '{}' at '{}' crashed; {} queued requests wait for a restart", settings.name(),
        settings.address(), queue.size(), cause);
    if (crashListener != null) {
      crashListener.crashed(this, cause);
    } else {
      failQueued(ErrorCode.ACTOR_FAILED, describeSelf() + " crashed (" + cause.getMessage()
          + ") and has no supervisor to restart it");
      vertx.undeploy(deploymentID());
    }
  }

  /** The instance that takes over this crashed one's queue when this one is undeployed. */
  final void successor(Actor<?> next) {
    this.successor = next;
  }

  private void handOver() {
    LOG.debug("actor '{}' at '{}': handing {} queued requests to {}", settings.name(), settings.address(),
        queue.size(), successor);
    List<Queued> rest = new ArrayList<>(queue);
    queue.clear();
    Actor<?> next = successor;
    if (next == null) {
      rest.forEach(q -> reject(q.message(), ErrorCode.ACTOR_FAILED, describeSelf()
          + " crashed and could not be restarted; see the log of its node"));
      return;
    }
    next.actorContext().runOnContext(v -> next.adopt(rest));
  }

  /** Accepts requests from a crashed predecessor, ahead of anything newer. Runs on this actor's context. */
  final void adopt(List<Queued> messages) {

    for (int i = messages.size() - 1; i >= 0; i--) {
      queue.addFirst(messages.get(i));
    }
    drain();
  }

  /** Fails every queued request with {@code code}. */
  final void failQueued(ErrorCode code, String text) {
    Queued q;
    while ((q = queue.poll()) != null) {
      reject(q.message(), code, text);
    }
  }

  final Context actorContext() {
    return actorContext;
  }

  final ActorCounters counters() {
    return counters;
  }

  // ---------------------------------------------------------------- for subclasses

  /** This instance's settings (address, capacity, timeouts, supervision, options). */
  protected final ActorConfig settings() {
    return settings;
  }

  /** The name of the node this instance runs on ({@code node.name}), as shown in metrics and job reports. */
  protected final String nodeName() {
    return io.busflow.actor.internal.ActorRegistry.of(vertx).nodeName();
  }

  /** The request being handled; {@code null} between requests. */
  protected final Envelope envelope() {
    return current;
  }

  /** The value a handler returns through {@link #replyLater}. */
  private record Later(Future<?> reply) {}

  /**
   * Answers the current request with {@code reply}'s outcome, whenever it completes, and frees the mailbox
   * now: return what this gives from {@link #onMessage} (directly or at the end of its future chain). For a
   * request whose remaining work happens in another actor — asking the next stage — so that this instance
   * serves other requests meanwhile. The request still gets exactly one reply: {@code reply}'s value, or its
   * failure as a handler failure is (an {@link ActorException} with its code, anything else
   * {@link ErrorCode#ACTOR_FAILED}); a graceful stop waits for it within the drain timeout, then answers
   * {@link ErrorCode#STOPPING}.
   */
  protected final Future<?> replyLater(Future<?> reply) {
    return Future.succeededFuture(new Later(reply));
  }

  /** A reference to another actor that carries the current request's correlation id. */
  protected final ActorRef ref(String address) {
    ActorRef r = ActorRef.of(vertx, address);
    return current == null ? r : r.withCorrelationId(current.correlationId());
  }

  /** The node-local address of this {@link Threading#PER_LOOP} instance. */
  final String loopAddress() {
    return loopAddress;
  }

  /** Takes {@code m} as if it had arrived at this instance's address; on this instance's context. */
  final void arrive(Message<Object> m) {
    onArrival(m);
  }

  /** Whether this instance takes new requests (it started and is not stopping or crashed). */
  final boolean running() {
    return state == State.RUNNING;
  }

  /** Whether this instance is in the middle of a request. */
  final boolean handling() {
    return inFlight != null;
  }

  /** Whether an ask made on this instance's own thread may go to it: it runs, nothing queued or in progress. */
  final boolean idleForSameLoop() {
    return state == State.RUNNING && inFlight == null && queue.isEmpty();
  }

  private int depth() {
    return queue.size() + (inFlight == null ? 0 : 1);
  }

  private String describeSelf() {
    return "actor '" + settings.name() + "' at '" + settings.address() + "'";
  }
}
