package io.busflow.pipeline;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end jobs on one node. */
@ExtendWith(VertxExtension.class)
class LocalJobTest extends JobContract {

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
