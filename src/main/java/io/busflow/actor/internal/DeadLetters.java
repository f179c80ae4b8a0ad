package io.busflow.actor.internal;

import io.busflow.actor.Actors;
import io.busflow.actor.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes what failed or was not delivered on {@link #ADDRESS}. */
public final class DeadLetters {

  /** {@link Actors#DEAD_LETTERS}, the public address. */
  public static final String ADDRESS = Actors.DEAD_LETTERS;

  private DeadLetters() {}

  public static void publish(Vertx vertx, String address, ErrorCode reason, String correlationId, String message) {
    JsonObject letter = new JsonObject()
        .put("address", address)
        .put("reason", reason.name())
        .put("correlationId", correlationId)
        .put("message", message)
        .put("timestamp", System.currentTimeMillis());
    vertx.eventBus().publish(ADDRESS, letter);
  }
}
