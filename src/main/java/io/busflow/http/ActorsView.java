package io.busflow.http;

import io.busflow.actor.NodeActors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The actors of the cluster as {@code GET /api/v1/actors} shows them: every actor of every member, one entry
 * per actor and node (name, address, node, running instances, summed counters, mailbox depth), and the nodes
 * asked, with an error for one that did not answer within {@value #MAX_WAIT_MS} ms (or half the request
 * timeout, when shorter). Without a cluster, this node's actors.
 */
final class ActorsView {

  /** How long each member gets to describe its actors, at most. */
  static final long MAX_WAIT_MS = 2_000;

  private final Vertx vertx;
  private final Duration wait;

  ActorsView(Vertx vertx, HttpConfig config) {
    this.vertx = vertx;
    this.wait = Duration.ofMillis(Math.max(1, Math.min(MAX_WAIT_MS, config.requestTimeoutMs() / 2)));
  }

  Future<JsonObject> toJson() {
    return NodeActors.describeCluster(vertx, wait);
  }
}
