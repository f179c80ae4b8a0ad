package io.busflow.pipeline.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Runs blocking work (file I/O, fitting, scoring) where it may block: inline when the caller already runs
 * on a worker thread (a worker actor), through {@code executeBlocking} otherwise, so an actor deployed on
 * an event loop by mistake still never blocks it. The future completes on the caller's context.
 */
public final class Blocking {

  private Blocking() {}

  /** {@code work}'s result, or its exception as the failure. */
  public static <T> Future<T> call(Vertx vertx, Callable<T> work) {
    if (Context.isOnWorkerThread()) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Throwable t) {
        return Future.failedFuture(t);
      }
    }
    return vertx.executeBlocking(work, false);
  }
}
