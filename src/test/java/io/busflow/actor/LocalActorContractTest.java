package io.busflow.actor;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The actor contract on one node: actors and callers share one Vert.x instance. */
@ExtendWith(VertxExtension.class)
class LocalActorContractTest extends ActorContract {

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  protected Vertx host() {
    return vertx;
  }

  @Override
  protected Vertx client() {
    return vertx;
  }
}
