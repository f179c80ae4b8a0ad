package io.busflow.testkit;

import io.busflow.actor.Actor;
import io.busflow.actor.MessageDecoder;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/** An actor whose behaviour is a function, for tests. */
public class FnActor extends Actor<Object> {

  private final BiFunction<FnActor, Object, Future<?>> behaviour;

  public FnActor(String address, Function<Object, Future<?>> behaviour) {
    this(address, (self, msg) -> behaviour.apply(msg));
  }

  public FnActor(String address, BiFunction<FnActor, Object, Future<?>> behaviour) {
    super(address, MessageDecoder.any());
    this.behaviour = behaviour;
  }

  @Override
  protected Future<?> onMessage(Object message) {
    return behaviour.apply(this, message);
  }

  /** Exposes crash() to tests. */
  public void crashNow(Throwable cause) {
    crash(cause);
  }

  /** Asks {@code address} on behalf of the current request (its correlation id travels along). */
  public Future<Object> forward(String address, Object msg) {
    return ref(address).ask(msg);
  }

  /** Asks {@code address} on behalf of the current request and answers it with that reply, freeing the mailbox. */
  public Future<?> askThenReplyLater(String address, Object msg) {
    return replyLater(ref(address).ask(msg));
  }

  /** Exposes replyLater() to tests. */
  public Future<?> later(Future<?> reply) {
    return replyLater(reply);
  }

  public io.vertx.core.Vertx vertx() {
    return vertx;
  }

  public String correlationId() {
    return envelope().correlationId();
  }
}
