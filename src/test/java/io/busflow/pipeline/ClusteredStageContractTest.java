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

/** The stage contract across a two-member cluster: stages on one member, callers on the other. */
@ExtendWith(VertxExtension.class)
class ClusteredStageContractTest extends StageContract {

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
  protected Vertx host() {
    return nodes.get(0);
  }

  @Override
  protected Vertx client() {
    return nodes.get(1);
  }

  @Override
  protected Path dir() {
    return dir;
  }
}
