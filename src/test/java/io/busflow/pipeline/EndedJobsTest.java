package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
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

/** What the coordinator keeps of ended jobs is bounded by count and by bytes ({@code keepEnded}, {@code keepEndedBytes}). */
@ExtendWith(VertxExtension.class)
class EndedJobsTest {

  @TempDir
  Path dir;
  private final Stages stages = new Stages();

  private Future<Void> deploy(Vertx vertx, JsonObject coordinatorOptions) throws IOException {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 200, 1, null);
    JsonObject options = Stages.options(dir);
    return stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options.copy().mergeIn(coordinatorOptions)));
  }

  private static Future<JsonObject> run(Vertx vertx, String job, JsonObject definition) {
    Promise<JsonObject> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> PipelineClient.run(vertx,
        new PipelineProtocol.Run(null, definition, job, new JsonObject()), x -> { }).onComplete(p));
    return p.future();
  }

  private static Future<JsonObject> ask(Vertx vertx, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(PipelineProtocol.ADDRESS, request).map(Message::body);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pastKeepEnded_theOldestEndedJobIsForgotten_andNamedAsSuch(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    JsonObject failing = JobContract.churnPipeline().put("source", "missing.csv");
    deploy(vertx, new JsonObject().put("keepEnded", 2))
        .compose(v -> run(vertx, "j1", failing))
        .compose(r -> run(vertx, "j2", failing))
        .compose(r -> run(vertx, "j3", failing))
        .compose(r -> ask(vertx, new JsonObject().put("op", "list")))
        .compose(list -> ask(vertx, new JsonObject().put("op", "status").put("job", "j1"))
            .<JsonObject>transform(ar -> Future.succeededFuture(list.put("j1", ar.failed()
                ? ((ReplyException) ar.cause()).getMessage() : "still kept"))))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertEquals(2, list.getInteger("total"), list.encodePrettily());
          assertEquals("j3", list.getJsonArray("jobs").getJsonObject(0).getString("job"));
          assertEquals("j2", list.getJsonArray("jobs").getJsonObject(1).getString("job"));
          assertTrue(list.getString("j1").contains("no job 'j1'"), list.getString("j1"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aReportOverKeepEndedBytes_isKeptAsItsSummary_withANoteNamingTheBound(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    deploy(vertx, new JsonObject().put("keepEndedBytes", 4096))
        .compose(v -> run(vertx, "big", JobContract.churnPipeline().put("mode", "train")))
        .compose(report -> ask(vertx, new JsonObject().put("op", "status").put("job", "big"))
            .map(kept -> new JsonObject().put("report", report).put("kept", kept)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject report = both.getJsonObject("report");
          JsonObject kept = both.getJsonObject("kept");
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          assertTrue(report.containsKey("training"), "the caller of the run gets the whole report");
          assertEquals("succeeded", kept.getString("state"), kept.encodePrettily());
          assertTrue(!kept.containsKey("training") && kept.getString("note").contains("keepEndedBytes")
              && kept.getString("note").contains("'big'"), kept.encodePrettily());
          ctx.completeNow();
        })));
  }
}
