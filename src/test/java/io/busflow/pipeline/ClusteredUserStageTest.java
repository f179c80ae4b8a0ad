package io.busflow.pipeline;

import io.busflow.testkit.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's stage actor on another member of a two-member cluster: the coordinator on one, busflow's stages and
 * the actor on the other, so every batch crosses the wire to the actor and its answer back.
 */
@ExtendWith(VertxExtension.class)
class ClusteredUserStageTest extends UserStageContract {

  @TempDir
  static Path dir;
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
  protected Vertx stagesHost() {
    return nodes.get(0);
  }

  @Override
  protected Vertx coordinatorHost() {
    return nodes.get(1);
  }

  @Override
  protected Path dir() {
    return dir;
  }
}
