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
 * End-to-end jobs across a two-member cluster: the stages on one member, the coordinator and its client on
 * the other, so every batch of rows (and, while training, of features) and every prediction crosses the
 * wire, and the stages learn the fitted state they did not fit themselves.
 */
@ExtendWith(VertxExtension.class)
class ClusteredJobTest extends JobContract {

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
