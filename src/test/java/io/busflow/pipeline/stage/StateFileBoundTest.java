package io.busflow.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.config.Threading;
import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.model.LogisticRegression;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.Stages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state loaded by path is read whole only when the node's store could keep it ({@code storeBytes}): a path that
 * names a larger file — a data file given by mistake — is refused {@code TOO_LARGE} before it is read, naming the
 * file, its size, the bound and its option; a state within the bound loads.
 */
@ExtendWith(VertxExtension.class)
class StateFileBoundTest {

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aStateFileLargerThanTheStore_isRefusedBeforeItIsRead(Vertx vertx, VertxTestContext ctx) throws IOException {
    StageProtocol.registerCodecs(vertx);
    Batch rows = new Batch(0, 0, 4, List.of(new NumericColumn("x", new double[] {0, 1, 2, 3})));
    LogisticRegression model = LogisticRegression.fit(rows, new NumericColumn("y", new double[] {0, 0, 1, 1}),
        new LogisticRegression.Options(1.0, 1e-4, 100, 0.5));
    Files.writeString(dir.resolve("model.json"), JsonShapes.toJson(model.toState()).encode());
    Files.writeString(dir.resolve("big.json"), "{\"x\": \"" + "a".repeat(8000) + "\"}");
    JsonObject options = Stages.options(dir).put("storeBytes", 4096);
    Stages stages = new Stages();
    ActorRef stage = ActorRef.of(vertx, StageProtocol.MODEL_ADDRESS);
    stages.deploy(vertx, "model", StageProtocol.MODEL_ADDRESS, 1, Threading.WORKER, options, StageActor::model)
        .compose(d -> stage.<JsonObject>ask(new StageProtocol.Load(null, "big.json").toJson())
            .transform(refused -> stage.<JsonObject>ask(new StageProtocol.Load(null, "model.json").toJson())
                .map(loaded -> List.of(refused, loaded))))
        .eventually(stages::undeployAll)
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          var refused = (io.vertx.core.AsyncResult<?>) got.get(0);
          assertTrue(refused.failed(), "an 8 KB file is more than a 4 KB store holds");
          ActorException e = ActorException.of(refused.cause(), StageProtocol.MODEL_ADDRESS);
          assertEquals(ErrorCode.TOO_LARGE, e.code(), e.getMessage());
          assertTrue(e.getMessage().contains("'big.json' is 8009 bytes, more than the 4096 bytes this node's model "
              + "store holds (actors.model.options.storeBytes); point the path at the model a training job saved, "
              + "or raise actors.model.options.storeBytes"), e.getMessage());
          assertTrue(((JsonObject) got.get(1)).getString("model").startsWith("logistic-"), got.get(1).toString());
          ctx.completeNow();
        })));
  }

  /** A model file (ONNX) larger than a quarter of the heap is refused before it is read (a sparse file). */
  @Test
  void aModelFileLargerThanAQuarterOfTheHeap_isRefusedBeforeItIsRead() throws IOException {
    long size = Runtime.getRuntime().maxMemory() / 4 + 1;
    try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dir.resolve("huge.onnx").toFile(), "rw")) {
      huge.setLength(size);
    }
    var roots = new io.busflow.data.io.DataRoots("data roots", List.of(dir));
    ActorException e = org.junit.jupiter.api.Assertions.assertThrows(ActorException.class, () -> ModelArtifacts.load(
        java.util.Map.of("type", "onnx", "file", "huge.onnx"), roots));
    assertEquals(ErrorCode.TOO_LARGE, e.code(), e.getMessage());
    assertTrue(e.getMessage().startsWith("'huge.onnx' is "), e.getMessage());
    assertTrue(e.getMessage().endsWith("a model file may have, a quarter of this JVM's maximum heap (-Xmx); point "
        + "the model's path at the model file, or raise -Xmx"), e.getMessage());
  }
}
