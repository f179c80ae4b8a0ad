package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.cluster.NodeProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long variant ({@code ./run.sh test-long}): a 1,000,000-row scoring job while model nodes are killed
 * with kill -9 at random points, a fresh one started after each kill; the output equals the fault-free run's
 * row by row, every id once. The same with the job read, scored and written in 4 pieces at once, and nothing
 * at the output path until it is whole.
 */
@Tag("long")
@ExtendWith(VertxExtension.class)
class StageNodeKillLongTest {

  static final int ROWS = 1_000_000;
  static final int KILLS = 3;
  /** Small batches: a thousand of them, so that the job runs long enough for several kills. */
  static final int BATCH = 1000;

  @TempDir
  static Path dir;
  private static ProcessCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.withReference(dir, 5000, ROWS, 3, BATCH);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.stop();
  }

  @Test
  @Timeout(value = 900, timeUnit = TimeUnit.SECONDS)
  void repeatedKill9OfModelNodes_atRandomPoints_outputEqualsFaultFreeRun(VertxTestContext ctx) {
    runWithKills(ctx, ProcessCluster.pipeline("score", "after-kills.csv", BATCH), "after-kills.csv", 1);
  }

  @Test
  @Timeout(value = 900, timeUnit = TimeUnit.SECONDS)
  void repeatedKill9OfModelNodes_duringAPartitionedJob_outputEqualsFaultFreeRun_neverPartial(VertxTestContext ctx) {
    runWithKills(ctx, ProcessCluster.partitioned("partitioned-after-kills.csv", BATCH, 4),
        "partitioned-after-kills.csv", 4);
  }

  /**
   * Runs {@code definition} while model nodes are killed; checks it read {@code partitions} pieces, wrote
   * every row of the reference once in order, and left nothing at {@code output} before it was whole.
   */
  private static void runWithKills(VertxTestContext ctx, JsonObject definition, String output, int partitions) {
    cluster.assertReferenceSucceeded();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int[] kills = {0};
    Path out = dir.resolve("out").resolve(output);
    OutputWatch watch = new OutputWatch(out);
    var job = cluster.run(definition, p -> watch.look());
    scheduleKill(random, kills, job);
    job.onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals("succeeded", report.getString("state"), "seed " + seed + "\n" + report.encodePrettily()
          + cluster.logs());
      assertTrue(kills[0] >= 1, "at least one node was killed while the job ran (seed " + seed + ")");
      assertEquals(partitions, report.getJsonObject("scoring").getInteger("partitions"), report.encodePrettily());
      watch.assertNeverPartial();
      assertEquals((long) ROWS, report.getJsonObject("scoring").getLong("rowsWritten"));
      StageFailoverTest.assertSameRowsOnce(dir.resolve("out/reference.csv"), out);
      ctx.completeNow();
    })));
  }

  /** Kills a random live model node 0.3–1.5 s from now, and starts a replacement; again, up to {@link #KILLS}. */
  private static void scheduleKill(Random random, int[] kills, io.vertx.core.Future<JsonObject> job) {
    cluster.member.setTimer(300 + random.nextInt(1200), t -> {
      if (job.isComplete() || kills[0] >= KILLS) {
        return;
      }
      List<NodeProcess> live = cluster.models.stream().filter(NodeProcess::isAlive).toList();
      live.get(random.nextInt(live.size())).kill();
      kills[0]++;
      cluster.startModelNode().onComplete(ar -> scheduleKill(random, kills, job));
    });
  }
}
