package io.busflow.actor.internal;

import io.busflow.actor.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes what failed or was not delivered on {@link #ADDRESS}. */
public final class DeadLetters {

  /** Subscribe here to observe every failure and every undelivered message. */
  public static final String ADDRESS = "busflow.deadletters";

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
