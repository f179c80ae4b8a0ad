package io.busflow.actor;

import io.busflow.actor.internal.DeadLetters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Waits for the replies of the asks made on one Vert.x context: one consumer at a unique address and one
 * periodic sweep for timeouts serve every ask, instead of a temporary reply registration and a timer per
 * request as {@code EventBus.request} uses. Confined to its context's thread.
 */
final class ReplyRouter {

  private static final String KEY = "busflow.replyRouter";
  private static final long SWEEP_MS = 50;

  private final Vertx vertx;
  private final String address = "busflow.reply." + Ids.next();
  private final Map<String, Pending> pending = new HashMap<>();
  private final MessageConsumer<Object> consumer;
  private final Future<Void> ready;
  private long sequence;

  private record Pending(Promise<Object> promise, String target, String cid, long deadline, long timeoutMs) {}

  private ReplyRouter(Vertx vertx) {
    this.vertx = vertx;
    this.consumer = vertx.eventBus().consumer(address, this::onReply);
    this.ready = consumer.completion();
    vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  static ReplyRouter on(Context ctx) {
    ReplyRouter r = ctx.get(KEY);
    if (r == null) {
      r = new ReplyRouter(ctx.owner());
      ctx.put(KEY, r);
    }
    return r;
  }

  /** Asks the actor at {@code target} (named in failures) through {@code via}: the same, or one instance's own. */
  @SuppressWarnings("unchecked")
  <R> Future<R> ask(String target, String via, Object message, DeliveryOptions opts, String cid, long timeoutMs) {
    String rid = Long.toString(++sequence, 36);
    Promise<Object> promise = Promise.promise();
    pending.put(rid, new Pending(promise, target, cid, System.currentTimeMillis() + timeoutMs, timeoutMs));
    opts.addHeader(Headers.REPLY_TO, address).addHeader(Headers.REQUEST_ID, rid);
    if (ready.isComplete()) {
      send(via, message, opts, rid);
    } else {
      ready.onComplete(ar -> send(via, message, opts, rid));
    }
    return (Future<R>) promise.future();
  }

  private void send(String target, Object message, DeliveryOptions opts, String rid) {
    vertx.eventBus().sender(target, opts).write(message).onFailure(t -> undeliverable(rid, t));
  }

  private void undeliverable(String rid, Throwable t) {
    Pending p = pending.remove(rid);
    if (p != null) {
      ActorException e = ActorRef.failure(vertx, t, p.target());
      DeadLetters.publish(vertx, p.target(), e.code(), p.cid(), e.getMessage());
      p.promise().fail(e);
    }
  }

  private void onReply(Message<Object> reply) {
    Pending p = pending.remove(reply.headers().get(Headers.REQUEST_ID));
    if (p == null) {
      return; // the ask timed out already; the late reply was counted by the actor
    }
    String error = reply.headers().get(Headers.ERROR);
    if (error == null) {
      p.promise().complete(reply.body());
    } else {
      p.promise().fail(new ActorException(ErrorCode.fromName(error), String.valueOf(reply.body())));
    }
  }

  /** Fails the asks past their deadline; after the walk, as failing one may start another ask here. */
  private void sweep() {
    if (pending.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    List<Pending> expired = new ArrayList<>();
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.deadline() <= now) {
        it.remove();
        expired.add(p);
      }
    }
    expired.forEach(this::timedOut);
  }

  private void timedOut(Pending p) {
    String text = "no reply from '" + p.target() + "' within " + p.timeoutMs() + " ms (request " + p.cid()
        + "); the actor may be overloaded or gone — raise the timeout or add instances";
    DeadLetters.publish(vertx, p.target(), ErrorCode.TIMEOUT, p.cid(), text);
    p.promise().fail(new ActorException(ErrorCode.TIMEOUT, text));
  }
}
