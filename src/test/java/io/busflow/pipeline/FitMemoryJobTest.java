package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job whose test rows would take more of the node's fit memory ({@code fitMaxBytes}) than it allows fails
 * with {@code TOO_LARGE} naming the evaluation and the key, gives the memory back, and the same job on a smaller
 * source succeeds on the same node.
 */
@ExtendWith(VertxExtension.class)
class FitMemoryJobTest {

  /**
   * Room for the model fit's first kept arrays (about 1 MB) and the medians' values of 12,000 training rows, too
   * little for the labels and predictions of 108,000 test rows (about 3.5 MB, counted twice).
   */
  private static final long BOUND = 4L << 20;

  @TempDir
  Path dir;
  private final Stages stages = new Stages();

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void testRowsPastTheBound_failTheJobTooLarge_andASmallerSplitTrainsAfter(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 120_000, 3, null);
    ChurnData.write(dir.resolve("churn-small.csv"), 10_000, 4, null);
    JsonObject options = Stages.options(dir).put("fitMaxBytes", BOUND);
    long before = FitMemory.held();
    JsonObject job = JobContract.churnPipeline().put("mode", "train").put("batchSize", 5000);
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> run(vertx, job.copy().put("split", new JsonObject().put("test", 0.9).put("seed", 7))))
        .compose(failed -> run(vertx, job.copy().put("source", "churn-small.csv"))
            .map(ok -> new JsonObject().put("failed", failed).put("ok", ok)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject failed = both.getJsonObject("failed");
          assertEquals("failed", failed.getString("state"), failed.encodePrettily());
          JsonObject error = failed.getJsonObject("error");
          assertEquals("TOO_LARGE", error.getString("code"), error.encode());
          assertTrue(error.getString("message").contains("evaluation: keeping the rows to evaluate would take ")
              && error.getString("message").contains("past this node's bound on fit memory, 4.0 MB (actors.runner."
              + "options.fitMaxBytes;"), error.getString("message"));
          JsonObject ok = both.getJsonObject("ok");
          assertEquals("succeeded", ok.getString("state"), ok.encodePrettily());
          assertEquals(before, FitMemory.held(), "every share given back");
          ctx.completeNow();
        })));
  }

  private static Future<JsonObject> run(Vertx vertx, JsonObject definition) {
    Promise<JsonObject> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> PipelineClient.run(vertx,
        new PipelineProtocol.Run(null, definition, null, new JsonObject()), x -> { }).onComplete(p));
    return p.future();
  }
}
