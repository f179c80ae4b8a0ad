package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.cluster.NodeProcess;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model nodes in their own JVMs (the launcher with {@code -cluster} and conf/nodes/model.json, the cluster
 * name given by {@code BUSFLOW_CLUSTER_NAME}), the coordinator in this one: a 100,000-row scoring job
 * survives a model node stopped by SIGTERM and one killed with kill -9 while it runs, and writes exactly
 * what the fault-free job wrote, every id once; so does the same job read, scored and written in 4 pieces at
 * once, with nothing at the output path until it is whole. And a reading node in its own JVM (a loader, its piece
 * runner, a preprocessor) killed with kill -9 mid-piece: its pieces are read again on this node, and the output is
 * the fault-free one, every id once.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("process")
class StageNodeProcessTest {

  static final int ROWS = 100_000;
  /** Small batches, so that the job is still running when a node goes. */
  static final int BATCH = 1000;

  @TempDir
  static Path dir;
  private static ProcessCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.withReference(dir, 3000, ROWS, 3, BATCH);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  /**
   * Calls {@code action} once, as soon as the scoring pass has scored rows: the job is then under way. (The
   * pass's first progress line comes before its piece runner has opened the source.) It does not say that every
   * model node has been sent a batch yet; {@link #afterModelSends} does.
   */
  private static Consumer<JsonObject> onScoring(AtomicBoolean done, Runnable action) {
    return p -> {
      if ("score".equals(p.getString("phase")) && p.getLong("rowsDone", 0L) > 0 && done.compareAndSet(false, true)) {
        action.run();
      }
    };
  }

  /** Completes with whether {@code node}'s JVM exited within 30 s (waited for off the event loop). */
  private static Future<Boolean> exited(NodeProcess node) {
    return cluster.member.executeBlocking(() -> node.process().waitFor(30, TimeUnit.SECONDS));
  }

  /**
   * Calls {@code action} once this JVM has sent {@code sends} requests to the model nodes: with the requests going
   * round the model nodes in turn, every one of them has then been sent a batch of the job, and more are on
   * their way. (Scored rows alone do not say so: the first batches may all have gone to the other model nodes,
   * and a node stopped then leaves without being sent one.)
   */
  private static Handler<DeliveryContext<Object>> afterModelSends(int sends, AtomicBoolean done, Runnable action) {
    AtomicInteger sent = new AtomicInteger();
    return m -> {
      if (StageProtocol.MODEL_ADDRESS.equals(m.message().address()) && sent.incrementAndGet() == sends
          && done.compareAndSet(false, true)) {
        action.run();
      }
      m.next();
    };
  }

  @Test
  @Order(1)
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void sigtermToAModelNodeMidJob_losesNoRequest_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    cluster.assertReferenceSucceeded();
    NodeProcess victim = cluster.models.get(0);
    AtomicBoolean stopped = new AtomicBoolean();
    Handler<DeliveryContext<Object>> hook = afterModelSends(2 * cluster.models.size(), stopped, victim::terminate);
    cluster.member.eventBus().addOutboundInterceptor(hook);
    cluster.run(ProcessCluster.pipeline("score", "after-sigterm.csv", BATCH), p -> { })
        .eventually(() -> {
          cluster.member.eventBus().removeInboundInterceptor(hook);
          return Future.succeededFuture();
        })
        .compose(report -> exited(victim).map(exited -> report.put("victimExited", exited)))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily() + cluster.logs());
          assertTrue(stopped.get(), "the node was stopped mid-job, once every model node had been sent batches: " + report.encodePrettily());
          JsonObject model = report.getJsonObject("batches").getJsonObject("stages").getJsonObject(StageProtocol.MODEL_ADDRESS);
          assertTrue(model.getJsonObject("nodes").containsKey(victim.name()) || model.getLong("resent", 0L) >= 1,
              "the stopping node took part (answered, or refused with STOPPING and the request went elsewhere): "
              + report.encodePrettily());
          assertTrue(report.getBoolean("victimExited"), "the stopped node exited" + cluster.logs());
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
    cluster.run(ProcessCluster.pipeline("score", "after-kill.csv", BATCH), onScoring(killed, victim::kill))
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

  @Test
  @Order(3)
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void kill9OfAModelNodeMidPartitionedJob_piecesGoOnOnSurvivors_outputEqualsFaultFreeRun_neverPartial(
      VertxTestContext ctx) throws Exception {
    NodeProcess victim = cluster.models.get(2);
    AtomicBoolean killed = new AtomicBoolean();
    Path output = dir.resolve("out/partitioned-after-kill.csv");
    OutputWatch watch = new OutputWatch(output);
    // the first two tests took two of the three model nodes: one more, so that a node survives the kill
    cluster.startModelNode().compose(survivor -> cluster.run(
        ProcessCluster.partitioned("partitioned-after-kill.csv", BATCH, 4), p -> {
          watch.look();
          onScoring(killed, victim::kill).accept(p);
        })).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily() + cluster.logs());
      assertTrue(killed.get(), "the node was killed mid-job");
      assertFalse(victim.isAlive());
      assertEquals(4, report.getJsonObject("scoring").getInteger("partitions"), report.encodePrettily());
      assertTrue(report.getJsonObject("batches").getInteger("membersLeft") >= 1, report.encodePrettily());
      watch.assertNeverPartial();
      assertEquals((long) ROWS, report.getJsonObject("scoring").getLong("rowsWritten"));
      StageFailoverTest.assertSameRowsOnce(dir.resolve("out/reference.csv"), output);
      ctx.completeNow();
    })));
  }

  @Test
  @Order(4)
  @Timeout(value = 240, timeUnit = TimeUnit.SECONDS)
  void kill9OfAReadingNodeMidPartitionedJob_itsPiecesAreReadAgain_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    Path output = dir.resolve("out/reread-after-kill.csv");
    String here = io.busflow.pipeline.internal.StateStore.origin(cluster.member);
    AtomicBoolean killed = new AtomicBoolean();
    OutputWatch watch = new OutputWatch(output);
    cluster.startReaderNode().compose(reader -> untilARunnerOn("reader", 40).map(reader)).compose(reader -> {
      // the kill comes when the reader's runner tells that it has read rows of a piece: mid-piece, by construction
      // (an inbound interceptor's own body() is null for a message from another node; the message decodes it)
      io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> hook = m -> {
        if (m.message().address().startsWith(PieceProtocol.ADDRESS + ".progress.") && m.message().body() instanceof JsonObject j
            && j.containsKey("rows") && !here.equals(j.getString("node")) && j.getLong("rows") > 0
            && killed.compareAndSet(false, true)) {
          reader.kill();
        }
        m.next();
      };
      cluster.member.eventBus().addInboundInterceptor(hook);
      return cluster.run(ProcessCluster.partitioned("reread-after-kill.csv", BATCH, 4),
              p -> watch.look())
          .eventually(() -> {
            cluster.member.eventBus().removeInboundInterceptor(hook);
            return Future.succeededFuture();
          }).compose(report -> exited(reader).map(gone -> {
            assertTrue(killed.get() && gone, "the reading node was killed mid-piece: " + report.encodePrettily());
            return report;
          }));
    }).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), report.encodePrettily() + cluster.logs());
      assertEquals(4, report.getJsonObject("scoring").getInteger("partitions"), report.encodePrettily());
      JsonObject batches = report.getJsonObject("batches");
      assertTrue(batches.getInteger("membersLeft") >= 1, report.encodePrettily());
      assertTrue(batches.getInteger("passesRestarted") >= 1, "its piece was read again: " + report.encodePrettily());
      watch.assertNeverPartial();
      assertEquals((long) ROWS, report.getJsonObject("scoring").getLong("rowsWritten"));
      StageFailoverTest.assertSameRowsOnce(dir.resolve("out/reference.csv"), output);
      ctx.completeNow();
    })));
  }

  /**
   * Runs a small partitioned job until one of its pieces ran on node {@code node} (its runner asks the preprocessor
   * beside it): this member has learnt of the node's runner, which Vert.x does some time after the node is up.
   */
  private static Future<Void> untilARunnerOn(String node, int jobs) {
    JsonObject probe = ProcessCluster.partitioned("probe.csv", 10 * BATCH, 4);
    return cluster.run(probe, p -> { }).compose(r -> {
      JsonObject served = r.getJsonObject("batches").getJsonObject("stages")
          .getJsonObject(StageProtocol.PREPROCESS_ADDRESS).getJsonObject("nodes");
      if (served.containsKey(node)) {
        return Future.<Void>succeededFuture();
      }
      return jobs <= 1 ? Future.failedFuture("no piece ran on '" + node + "': " + r.encodePrettily())
          : cluster.member.timer(100).compose(t -> untilARunnerOn(node, jobs - 1));
    });
  }
}
