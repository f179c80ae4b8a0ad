package io.busflow.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/** Waiting, without sleeping, for what a test cannot be told: a server's count, memory given back. */
public final class Eventually {

  private Eventually() {}

  /** Completes once {@code check} holds, looked at now and every 10 ms after (the test's timeout bounds it). */
  public static Future<Void> until(Vertx vertx, BooleanSupplier check) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(0, 10, id -> {
      if (check.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }
}
