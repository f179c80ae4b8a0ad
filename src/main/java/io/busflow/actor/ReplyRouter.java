package io.busflow.actor;

import io.busflow.actor.internal.Codecs;
import io.busflow.actor.internal.DeadLetters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits for the replies of the asks made on one Vert.x context: one consumer at a unique address and one
 * periodic sweep for timeouts serve every ask, instead of a temporary reply registration and a timer per
 * request as {@code EventBus.request} uses. Confined to its context's thread.
 */
final class ReplyRouter {

  private static final String KEY = "busflow.replyRouter";
  private static final long SWEEP_MS = 50;

  private final Context context;
  private final Vertx vertx;
  private final String address = "busflow.reply." + Ids.next();
  private final Map<String, Pending> pending = new HashMap<>();
  private final MessageConsumer<Object> consumer;
  private final Future<Void> ready;
  private long sequence;

  private record Pending(Promise<Object> promise, String target, String cid, long deadline, long timeoutMs) {}

  private ReplyRouter(Context context) {
    this.context = context;
    this.vertx = context.owner();
    this.consumer = vertx.eventBus().consumer(address, this::onReply);
    this.ready = consumer.completion();
    vertx.setPeriodic(SWEEP_MS, id -> sweep());
  }

  static ReplyRouter on(Context ctx) {
    ReplyRouter r = ctx.get(KEY);
    if (r == null) {
      r = new ReplyRouter(ctx);
      ctx.put(KEY, r);
    }
    return r;
  }

  /**
   * Asks the actor at {@code target} (named in failures); with {@code here}, an instance of it on this thread, that
   * instance is handed the ask and answers it without the event bus (see {@link Here}).
   */
  @SuppressWarnings("unchecked")
  <R> Future<R> ask(String target, Actor<?> here, Object message, DeliveryOptions opts, String cid, long timeoutMs) {
    String rid = Long.toString(++sequence, 36);
    Promise<Object> promise = Promise.promise();
    pending.put(rid, new Pending(promise, target, cid, System.currentTimeMillis() + timeoutMs, timeoutMs));
    opts.addHeader(Headers.REPLY_TO, address).addHeader(Headers.REQUEST_ID, rid);
    Object copy = here == null ? NOT_HERE : Here.copy(vertx, message);
    if (copy != NOT_HERE) {
      here.actorContext().runOnContext(v -> {
        if (here.running()) {
          here.arrive(new Here(here.loopAddress(), opts.getHeaders(), copy, rid));
        } else {
          sendWhenReady(target, message, opts, rid); // stopped meanwhile: the event bus finds another instance
        }
      });
    } else {
      sendWhenReady(here == null ? target : here.loopAddress(), message, opts, rid);
    }
    return (Future<R>) promise.future();
  }

  private void sendWhenReady(String via, Object message, DeliveryOptions opts, String rid) {
    if (ready.isComplete()) {
      send(via, message, opts, rid);
    } else {
      ready.onComplete(ar -> send(via, message, opts, rid));
    }
  }

  private void send(String target, Object message, DeliveryOptions opts, String rid) {
    vertx.eventBus().sender(target, opts).write(message).onFailure(t -> undeliverable(rid, t));
  }

  /** A body {@link Here#copy} cannot give: it travels by the event bus, whose codec for it makes the copy. */
  private static final Object NOT_HERE = new Object();
  /** The immutable types the event bus has codecs for, which it hands over as they are in one JVM. */
  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class, Byte.class,
      Short.class, Integer.class, Long.class, Float.class, Double.class);

  /**
   * An ask handed to an instance on the asker's own thread: the body and the reply are copied as the event bus's local
   * delivery copies them (JSON and buffers; busflow's own types are immutable and go as they are), and the reply
   * completes the ask on the asker's context, as a reply by the event bus would. A body or reply of any other type
   * takes the event bus, so that its codec does what it does.
   */
  private final class Here implements Message<Object> {
    private final String to;
    private final MultiMap headers;
    private final Object body;
    private final String rid;

    Here(String to, MultiMap headers, Object body, String rid) {
      this.to = to;
      this.headers = headers;
      this.body = body;
      this.rid = rid;
    }

    /** {@code body} as local delivery would hand it over, or {@link #NOT_HERE}. */
    static Object copy(Vertx vertx, Object body) {
      if (body == null || IMMUTABLE.contains(body.getClass()) || Codecs.isOwn(vertx, body.getClass())) {
        return body;
      }
      if (body instanceof JsonObject j) {
        return j.copy();
      }
      if (body instanceof JsonArray a) {
        return a.copy();
      }
      if (body instanceof Buffer b) {
        return b.copy();
      }
      return NOT_HERE;
    }

    @Override
    public String address() {
      return to;
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public Object body() {
      return body;
    }

    @Override
    public String replyAddress() {
      return address; // not null: the actor answers through reply and fail
    }

    @Override
    public boolean isSend() {
      return true;
    }

    @Override
    public void reply(Object reply, DeliveryOptions options) {
      Object copy = reply instanceof ReplyException ? reply : copy(vertx, reply);
      if (copy == NOT_HERE) {
        vertx.eventBus().sender(address, new DeliveryOptions().addHeader(Headers.REQUEST_ID, rid)).write(reply);
        return;
      }
      context.runOnContext(v -> answered(rid, copy));
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      return Future.failedFuture(new UnsupportedOperationException("an ask handed over on its own thread takes one "
          + "reply, not a request"));
    }
  }

  private void answered(String rid, Object reply) {
    Pending p = pending.remove(rid);
    if (p == null) {
      return; // the ask timed out already; the late reply was counted by the actor
    }
    if (reply instanceof ReplyException e) {
      p.promise().fail(ActorException.of(e, p.target()));
    } else {
      p.promise().complete(reply);
    }
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
