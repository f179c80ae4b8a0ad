package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.busflow.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The long variant of the slow-reader test ({@code ./run.sh test-long}): for 60 s, clients that never read
 * subscribe to a flooding address over the SockJS bridge with the default {@code http.eventbus.maxQueuedBytes},
 * one after another; each is disconnected with the reason logged, its connection closed at once and its session
 * given back, and the heap after GC ends within 50 MB of where it started. (Before the connection was really
 * closed, each such connection stayed open, its queued megabyte held, until the client read again.)
 */
@Tag("long")
@ExtendWith(VertxExtension.class)
class BridgeSlowReaderLongTest {

  private static final long RUN_MS = 60_000;
  private static final long MAX_GROWTH = 50L * 1024 * 1024;

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void clientsThatNeverRead_forAMinute_areEachDisconnected_andLeaveTheHeapFlat(Vertx vertx, VertxTestContext ctx) {
    LogCapture log = new LogCapture("io.busflow.http", Level.WARN);
    AtomicInteger disconnected = new AtomicInteger();
    long[] before = new long[1];
    BridgeHardeningTest.start(vertx, new JsonObject(), new AtomicInteger())
        .compose(port -> vertx.executeBlocking(() -> before[0] = usedAfterGc(), false).map(b -> port))
        .compose(port -> loop(vertx, port, log, System.currentTimeMillis() + RUN_MS, disconnected))
        .compose(v -> vertx.executeBlocking(BridgeSlowReaderLongTest::usedAfterGc, false))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          log.close();
          long reasons = log.messages().stream().filter(m -> m.contains("does not read")
              && m.contains("http.eventbus.maxQueuedBytes (1048576)")).count();
          assertTrue(disconnected.get() > 5, "only " + disconnected.get() + " slow clients in a minute");
          assertEquals(disconnected.get(), reasons, "one logged reason per slow client: " + log.messages());
          assertEquals(0, EventBusBridge.openSessions(vertx).get());
          System.out.printf("BridgeSlowReaderLongTest: %d slow clients in %d s, heap after GC %d MB -> %d MB%n",
              disconnected.get(), RUN_MS / 1000, before[0] >> 20, after >> 20);
          assertTrue(after - before[0] < MAX_GROWTH, "heap grew from " + before[0] / (1024 * 1024) + " MB to "
              + after / (1024 * 1024) + " MB after " + disconnected.get() + " slow clients");
          ctx.completeNow();
        })));
  }

  private static Future<Void> loop(Vertx vertx, int port, LogCapture log, long until, AtomicInteger count) {
    if (System.currentTimeMillis() >= until) {
      return Future.succeededFuture();
    }
    return BridgeHardeningTest.neverReads(vertx, port, log)
        .compose(status -> {
          if (status != 1006) {
            return Future.failedFuture("slow client " + count.get() + ": the connection closed with " + status
                + ", not at once (1006)");
          }
          count.incrementAndGet();
          return loop(vertx, port, log, until, count);
        });
  }
}
