package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.NodeProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model nodes in their own JVMs (the launcher with {@code -cluster} and conf/nodes/model.json, the cluster
 * name given by {@code BUSFLOW_CLUSTER_NAME}), the coordinator in this one: a 100,000-row scoring job
 * survives a model node stopped by SIGTERM and one killed with kill -9 while it runs, and writes exactly
 * what the fault-free job wrote, every id once.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StageNodeProcessTest {

  static final int ROWS = 100_000;

  @TempDir
  static Path dir;
  private static ProcessCluster cluster;
  private static JsonObject reference;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ProcessCluster(dir).start(3000, ROWS, 3);
    reference = cluster.run(ProcessCluster.pipeline("train-then-score", "reference.csv", 5000), p -> { })
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  /** Calls {@code action} once, shortly after the scoring pass started. */
  private static Consumer<JsonObject> onScoring(AtomicBoolean done, Runnable action) {
    return p -> {
      if ("score".equals(p.getString("phase")) && done.compareAndSet(false, true)) {
        cluster.member.setTimer(200, t -> action.run());
      }
    };
  }

  @Test
  @Order(1)
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void sigtermToAModelNodeMidJob_loosesNoRequest_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    assertEquals("succeeded", reference.getString("state"), reference.encodePrettily() + cluster.logs());
    NodeProcess victim = cluster.models.get(0);
    AtomicBoolean stopped = new AtomicBoolean();
    cluster.run(ProcessCluster.pipeline("score", "after-sigterm.csv", 5000), onScoring(stopped, victim::terminate))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily() + cluster.logs());
          assertTrue(stopped.get(), "the node was stopped mid-job");
          assertTrue(victim.process().waitFor(30, TimeUnit.SECONDS), "the stopped node exited");
          assertEquals((long) ROWS, report.getJsonObject("scoring").getLong("rowsWritten"));
          StageFailoverTest.assertSameRowsOnce(dir.resolve("out/reference.csv"), dir.resolve("out/after-sigterm.csv"));
          ctx.completeNow();
        })));
  }

  @Test
  @Order(2)
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void kill9OfAModelNodeMidJob_requestsInFlightResentToSurvivors_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    NodeProcess victim = cluster.models.get(1);
    AtomicBoolean killed = new AtomicBoolean();
    cluster.run(ProcessCluster.pipeline("score", "after-kill.csv", 5000), onScoring(killed, victim::kill))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily() + cluster.logs());
          assertTrue(killed.get(), "the node was killed mid-job");
          assertFalse(victim.isAlive());
          JsonObject requests = report.getJsonObject("batches");
          assertTrue(requests != null && requests.getInteger("membersLeft") >= 1, report.encodePrettily());
          assertEquals((long) ROWS, report.getJsonObject("scoring").getLong("rowsWritten"));
          StageFailoverTest.assertSameRowsOnce(dir.resolve("out/reference.csv"), dir.resolve("out/after-kill.csv"));
          ctx.completeNow();
        })));
  }
}
