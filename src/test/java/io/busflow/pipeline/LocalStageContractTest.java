package io.busflow.pipeline;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stage contract on one node. */
@ExtendWith(VertxExtension.class)
class LocalStageContractTest extends StageContract {

  @TempDir
  Path dir;
  private Vertx vertx;

  @Override
  protected void useVertx(Vertx vertx) {
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

  @Override
  protected Path dir() {
    return dir;
  }
}
