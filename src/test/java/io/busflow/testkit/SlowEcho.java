package io.busflow.testkit;

import io.busflow.actor.Actor;
import io.busflow.actor.MessageDecoder;
import io.vertx.core.Future;

/** Replies with the request's body after {@code options.delayMs} (default 100 ms); deployable by class name. */
public final class SlowEcho extends Actor<Object> {

  public SlowEcho() {
    super("test.slow", MessageDecoder.any());
  }

  @Override
  protected Future<?> onMessage(Object message) {
    long delay = settings().options().getLong("delayMs", 100L);
    return vertx.timer(delay).map(t -> message);
  }
}
