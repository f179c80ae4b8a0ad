package io.busflow.pipeline.client;

import io.busflow.actor.ActorRef;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Makes the references one job uses: its correlation id and its stage timeout on every ask. */
public record Refs(Vertx vertx, String correlationId, Duration timeout) {

  public ActorRef to(String address) {
    return ActorRef.of(vertx, address).withCorrelationId(correlationId).withTimeout(timeout);
  }
}
