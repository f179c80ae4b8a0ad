package io.busflow.actor;

import io.busflow.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The actor contract across a two-member Hazelcast cluster on 127.0.0.1 (random cluster name): actors live
 * on one member, callers on the other, so every message crosses the wire.
 */
@ExtendWith(VertxExtension.class)
class ClusteredActorContractTest extends ActorContract {

  private static List<Vertx> nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestCluster.startNow(2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.stopNow(nodes);
  }

  @Override
  protected Vertx host() {
    return nodes.get(0);
  }

  @Override
  protected Vertx client() {
    return nodes.get(1);
  }
}
