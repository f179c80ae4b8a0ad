package io.busflow.pipeline.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a member leaves, requests in flight for more than a second are sent again for a while
 * ({@link LostRequests}); a request that is merely slow is sent at most three times, and the last sending is waited
 * for: it is answered, never failed for having been slow.
 */
@ExtendWith(VertxExtension.class)
class OnlineResendsTest {

  private static final String ADDRESS = "test.online.slow";

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aSlowRequestWhileTheClusterSettles_isSentThreeTimes_andItsLastSendingAnswers(VertxTestContext ctx) {
    AtomicInteger received = new AtomicInteger();
    TestCluster.start(3).onComplete(ctx.succeeding(nodes -> {
      Vertx asker = nodes.get(0);
      Vertx server = nodes.get(1);
      Vertx leaving = nodes.get(2);
      // answers "ping" at once and anything else after 3.5 s: longer than the settling looks' second, three times
      server.eventBus().<String>consumer(ADDRESS, m -> {
        if (!"ping".equals(m.body())) {
          received.incrementAndGet();
        }
        server.setTimer("ping".equals(m.body()) ? 1 : 3500, t -> m.reply(m.body()));
      }).completion().compose(v -> {
        Promise<String> answer = Promise.promise();
        asker.getOrCreateContext().runOnContext(x -> {
          OnlineResends resends = new OnlineResends(asker, "the test");
          resends.ask(ADDRESS, () -> ask(asker, "ping")) // starts the watch
              .compose(pong -> leaving.close())
              .compose(closed -> later(asker, 600)) // the watch has seen it leave: a second of looks begins
              .compose(v2 -> resends.ask(ADDRESS, () -> ask(asker, "slow")))
              .onComplete(answer);
        });
        return answer.future();
      }).onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertEquals("slow", reply);
        assertEquals(OnlineResends.MAX_SENDS, received.get(), "given up twice while the cluster settled, then waited for");
        TestCluster.stop(List.of(asker, server)).onComplete(ctx.succeedingThenComplete());
      })));
    }));
  }

  private static Future<String> ask(Vertx vertx, String body) {
    return vertx.eventBus().<String>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(20_000))
        .map(Message::body);
  }

  private static Future<Void> later(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    return p.future();
  }
}
