package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.config.ActorConfig;
import io.busflow.config.SupervisionConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the console reads from {@code GET /api/v1/actors}: throughput, failures by code and restarts. */
@ExtendWith(VertxExtension.class)
class ActorsViewTest {

  private static final String ADDRESS = "test.flaky";

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void actors_showFailuresByCode_restartsAfterACrash_andThroughput(Vertx vertx, VertxTestContext ctx) {
    ActorConfig cfg = Bridges.config("flaky", ADDRESS).withSupervision(new SupervisionConfig(1, 60_000, 3, 10, 10));
    ActorRef ref = ActorRef.of(vertx, ADDRESS);
    Bridges.actor(vertx, cfg, ActorsViewTest::behave)
        .compose(v -> ref.ask("conflict").recover(t -> Future.succeededFuture()))
        .compose(v -> Future.join(asks(ref, "boom", 2)))
        .recover(t -> Future.succeededFuture())
        .compose(v -> Future.all(asks(ref, "ok", 3)))
        .compose(v -> Bridges.start(vertx, new JsonObject(), List.of(cfg)))
        .compose(port -> WebClient.create(vertx).get(port, "127.0.0.1", ApiRouter.ACTORS_PATH).send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject flaky = HttpBridgeTest.find(r.bodyAsJsonObject().getJsonArray("actors"), ADDRESS);
          assertEquals(1L, flaky.getLong("restarts"), flaky.encode());
          assertEquals(1L, flaky.getJsonObject("counters").getJsonObject("failed").getLong("CONFLICT"), flaky.encode());
          assertTrue(flaky.getDouble("throughputPerSecond") >= 0, flaky.encode());
          ctx.completeNow();
        })));
  }

  private static List<Future<Object>> asks(ActorRef ref, String what, int n) {
    List<Future<Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ref.ask(what));
    }
    return out;
  }

  private static Future<?> behave(Object msg) {
    return switch (String.valueOf(msg)) {
      case "conflict" -> throw new ActorException(ErrorCode.CONFLICT, "asked for a conflict");
      case "boom" -> throw new IllegalStateException("boom");
      default -> Future.succeededFuture("ok");
    };
  }
}
