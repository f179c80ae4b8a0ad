package io.busflow.pipeline.internal;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.Ids;
import io.busflow.actor.MessageDecoder;
import io.busflow.config.ActorConfig;
import io.busflow.config.SupervisionConfig;
import io.busflow.config.Threading;
import io.busflow.data.Batch;
import io.busflow.data.Cancellation;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short-lived actor that holds the state of one conversation — a read cursor, a fit over a stream of
 * batches — at a private address of its own, so that every message of the conversation reaches the same
 * state however many instances serve the stage's public address, and across the cluster.
 *
 * <p>Guarantees: it runs on a worker thread, one message at a time (an actor); a {@link Batch} body goes
 * to {@link #onBatch}, a JSON object or a plain string (taken as the {@code op}) to {@link #onCommand};
 * after {@link #end()} or {@code idleMs} without a message it undeploys itself and {@link #release()} runs
 * once. It is deployed as a child of the actor that opened it, so it ends with that actor too.
 *
 * <p>Cancel: a message to {@link #cancelAddress} (any body, no reply) reaches the session at once, beside
 * its mailbox, even while it works on a request or its mailbox is full; work run through {@link #cancellable} then
 * stops at its next {@link Cancellation#check()} and fails with {@code STOPPING}, and the session ends — at once
 * when it is idle, else once the request it works on is answered — so that what it holds is freed without waiting
 * {@code idleMs}.
 */
public abstract class SessionActor extends Actor<Object> {

  private static final Logger LOG = LoggerFactory.getLogger(SessionActor.class);

  private final long idleMs;
  private long lastActive = System.currentTimeMillis();
  private boolean busy;
  private boolean ended;
  private long timer = -1;
  private volatile boolean cancelled;
  private MessageConsumer<Object> cancelConsumer;

  protected SessionActor(String address, long idleMs) {
    super(address, MessageDecoder.any());
    this.idleMs = idleMs;
  }

  /** Deploys {@code session} at its address from the caller's context; completes with the address. */
  public static Future<String> deploy(Vertx vertx, SessionActor session, String address) {
    ActorConfig cfg = ActorConfig.defaults("session", address).withThreading(Threading.WORKER)
        .withSupervision(new SupervisionConfig(1_000_000, 10_000, 0, 0, 0));
    DeploymentOptions opts = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
        .setConfig(cfg.toJson().put("name", "session"));
    return vertx.deployVerticle(session, opts).map(id -> address);
  }

  /** A fresh private address under {@code prefix}. */
  public static String newAddress(String prefix) {
    return prefix + "." + Ids.next();
  }

  /** Where a message cancels the session at {@code address}, beside its mailbox. */
  public static String cancelAddress(String address) {
    return address + ".cancel";
  }

  /**
   * Runs blocking {@code work} off the session's own thread, so that a cancel can arrive meanwhile; the
   * work's {@link Cancellation#check()} calls throw once it has.
   */
  protected final <T> Future<T> cancellable(Callable<T> work) {
    return vertx.executeBlocking(() -> Cancellation.watching(() -> cancelled, work), false);
  }

  /** {@code t}, or a {@code STOPPING} failure naming this session when {@code t} is a cancellation. */
  protected final Throwable cancelledAs(Throwable t) {
    return t instanceof Cancellation.Cancelled ? new ActorException(ErrorCode.STOPPING, "session '"
        + settings().address() + "' was cancelled by its caller; nothing was kept") : t;
  }

  /** Handles one batch of the conversation. */
  protected abstract Future<?> onBatch(Batch batch);

  /** Handles a command; {@code op} is never null. */
  protected abstract Future<?> onCommand(String op, JsonObject body);

  /** Frees what the session holds; runs once, when it stops. */
  protected abstract void release();

  /** Ends the session once the current reply is sent. */
  protected final void end() {
    if (!ended) {
      ended = true;
      vertx.undeploy(deploymentID());
    }
  }

  @Override
  protected final Future<?> onStart() {
    timer = vertx.setPeriodic(Math.max(50, Math.min(idleMs / 2, 10_000)), id -> checkIdle());
    cancelConsumer = vertx.eventBus().consumer(cancelAddress(settings().address()), m -> onCancel());
    return cancelConsumer.completion();
  }

  @Override
  protected final Future<?> onStop() {
    vertx.cancelTimer(timer);
    release();
    return cancelConsumer.unregister().recover(t -> Future.succeededFuture());
  }

  @Override
  protected final Future<?> onMessage(Object message) {
    busy = true;
    Future<?> reply = message instanceof Batch b ? onBatch(b) : command(message);
    return reply.onComplete(ar -> {
      busy = false;
      lastActive = System.currentTimeMillis();
      if (cancelled) {
        end();
      }
    });
  }

  private void onCancel() {
    cancelled = true;
    if (!busy) {
      LOG.debug("session '{}' cancelled by its caller; closing it", settings().address());
      end();
    }
  }

  private Future<?> command(Object message) {
    if (message instanceof String s && !s.trim().startsWith("{")) {
      return onCommand(s.trim(), new JsonObject().put("op", s.trim()));
    }
    JsonObject body = MessageDecoder.jsonBody(envelope());
    String op = body.getValue("op") instanceof String s ? s : null;
    if (op == null) {
      throw ActorException.badRequest("'" + envelope().address() + "': field 'op' is missing; send {\"op\": …}");
    }
    return onCommand(op, body);
  }

  private void checkIdle() {
    if (!ended && !busy && System.currentTimeMillis() - lastActive > idleMs) {
      LOG.info("session '{}' idle for more than {} ms; closing it", settings().address(), idleMs);
      end();
    }
  }
}
