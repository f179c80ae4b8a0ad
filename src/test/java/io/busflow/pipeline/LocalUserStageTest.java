package io.busflow.pipeline;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A user's stage actor on one node, beside busflow's stages. */
@ExtendWith(VertxExtension.class)
class LocalUserStageTest extends UserStageContract {

  @TempDir
  Path dir;
  private Vertx vertx;

  @Override
  protected void useVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  protected Vertx stagesHost() {
    return vertx;
  }

  @Override
  protected Vertx coordinatorHost() {
    return vertx;
  }

  @Override
  protected Path dir() {
    return dir;
  }
}
