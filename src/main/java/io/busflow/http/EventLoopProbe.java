package io.busflow.http;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Asks every event loop of a Vert.x instance — those of the actors and of the HTTP server among them — to run
 * a tiny task, and names the ones that did not within {@link #BOUND_MS}: a loop that cannot run a no-op for
 * that long is blocked, and every actor and connection on it with it. Never blocks; the result comes on the
 * caller's context.
 */
final class EventLoopProbe {

  /** How long a loop may take to run the probe's task; half Vert.x's blocked-thread warning time. */
  static final long BOUND_MS = 1_000;

  /** How many loops were asked, and the indexes of those that did not answer in time. */
  record Result(int loops, List<Integer> stuck) {}

  private final Context caller;
  private final AtomicIntegerArray answered;
  private final AtomicInteger left;
  private final Promise<Result> result = Promise.promise();

  private EventLoopProbe(Context caller, int loops) {
    this.caller = caller;
    this.answered = new AtomicIntegerArray(loops);
    this.left = new AtomicInteger(loops);
  }

  static Future<Result> stuck(Vertx vertx) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).nettyEventLoopGroup().forEach(loops::add);
    EventLoopProbe probe = new EventLoopProbe(vertx.getOrCreateContext(), loops.size());
    long timer = vertx.setTimer(BOUND_MS, t -> probe.finish());
    for (int i = 0; i < loops.size(); i++) {
      int index = i;
      loops.get(i).execute(() -> probe.answer(index));
    }
    return probe.result.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Runs on loop {@code index}. */
  private void answer(int index) {
    answered.set(index, 1);
    if (left.decrementAndGet() == 0) {
      caller.runOnContext(v -> finish());
    }
  }

  private void finish() {
    List<Integer> stuck = new ArrayList<>();
    for (int i = 0; i < answered.length(); i++) {
      if (answered.get(i) == 0) {
        stuck.add(i);
      }
    }
    result.tryComplete(new Result(answered.length(), List.copyOf(stuck)));
  }
}
