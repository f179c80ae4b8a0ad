package io.busflow.pipeline.client;

import io.busflow.actor.ActorRef;
import io.busflow.actor.Actors;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Makes the references one job uses: its correlation id and its stage timeout on every ask; with
 * {@code preferLocal} (a piece runner's), an address with an instance on this node is asked only there, so that
 * the batches of a piece stay on the node that read it.
 */
public record Refs(Vertx vertx, String correlationId, Duration timeout, boolean preferLocal) {

  public Refs(Vertx vertx, String correlationId, Duration timeout) {
    this(vertx, correlationId, timeout, false);
  }

  public ActorRef to(String address) {
    ActorRef ref = ActorRef.of(vertx, address).withCorrelationId(correlationId).withTimeout(timeout);
    return preferLocal && vertx.isClustered() && Actors.runsHere(vertx, address) ? ref.localOnly() : ref;
  }
}
