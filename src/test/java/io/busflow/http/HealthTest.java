package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.NodeHealth;
import io.busflow.config.ActorConfig;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness and liveness through vertx-health-check: UP normally, DOWN while an event loop is blocked and UP
 * again once it is free, DOWN after {@link NodeHealth#markFailed}; liveness keeps its body.
 */
@ExtendWith(VertxExtension.class)
class HealthTest {

  /** Answers the index of the event loop the HTTP server runs this request on. */
  private static final String LOOP_PATH = "/api/v1/test/loop";

  private Vertx node;
  private WebClient client;
  private int port;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    // the test blocks one of this node's event loops on purpose: keep the blocked-thread checker quiet
    node = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4)
        .setMaxEventLoopExecuteTime(TimeUnit.MINUTES.toNanos(5)));
    List<ActorConfig> actors = List.of(Bridges.config("echo", "test.echo"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    Bridges.actor(node, actors.get(0), Future::succeededFuture)
        .compose(v -> Bridges.start(node, new JsonObject(), actors, List.of(new LoopModule())))
        .onComplete(ctx.succeeding(p -> {
          port = p;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    NodeHealth.reset();
    client.close();
    node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void ready_isUpWithEveryCheckUp_andLiveKeepsItsBody(VertxTestContext ctx) {
    client.get(port, "127.0.0.1", "/health/ready").send()
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("UP", body.getString("status"));
            assertNull(body.getJsonObject("error"));
            JsonObject checks = body.getJsonObject("checks");
            assertEquals(false, checks.getJsonObject("node").getBoolean("failed"));
            assertEquals(true, checks.getJsonArray("actors").getJsonObject(0).getBoolean("ready"));
            assertEquals(true, checks.getJsonObject("cluster").getBoolean("ready"));
            assertEquals(4, checks.getJsonObject("eventLoops").getInteger("loops"));
            assertEquals(new JsonArray(), checks.getJsonObject("eventLoops").getJsonArray("stuck"));
          });
          return client.get(port, "127.0.0.1", "/health/live").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode());
          assertEquals(new JsonObject().put("status", "UP"), r.bodyAsJsonObject());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void ready_isDownWhileAnEventLoopIsBlocked_andUpOnceItIsFree(VertxTestContext ctx) {
    client.get(port, "127.0.0.1", LOOP_PATH).send()
        .compose(r -> {
          int blocked = (Integer.parseInt(r.bodyAsString()) + 1) % 4;
          loops().get(blocked).execute(this::blockUntilReleased);
          return ready().map(down -> {
            ctx.verify(() -> {
              assertEquals(503, down.statusCode(), down.bodyAsString());
              JsonObject body = down.bodyAsJsonObject();
              assertEquals("DOWN", body.getString("status"));
              assertEquals("TIMEOUT", body.getJsonObject("error").getString("code"));
              assertEquals(new JsonArray().add(blocked),
                  body.getJsonObject("checks").getJsonObject("eventLoops").getJsonArray("stuck"));
              assertTrue(body.getJsonObject("error").getString("message").contains("blocks"), body.encode());
            });
            release.countDown();
            return down;
          });
        })
        .compose(down -> ready())
        .onComplete(ctx.succeeding(up -> ctx.verify(() -> {
          assertEquals(200, up.statusCode(), up.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void ready_isDownOnceTheNodeIsMarkedFailed_liveStaysUp(VertxTestContext ctx) {
    NodeHealth.markFailed("OutOfMemoryError: Java heap space");
    ready()
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(503, r.statusCode(), r.bodyAsString());
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("ACTOR_FAILED", body.getJsonObject("error").getString("code"));
            assertTrue(body.getJsonObject("error").getString("message").contains("OutOfMemoryError"), body.encode());
            assertEquals(true, body.getJsonObject("checks").getJsonObject("node").getBoolean("failed"));
          });
          return client.get(port, "127.0.0.1", "/health/live").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode());
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> ready() {
    return client.get(port, "127.0.0.1", "/health/ready").send();
  }

  private List<EventExecutor> loops() {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) node).nettyEventLoopGroup().forEach(loops::add);
    return loops;
  }

  private void blockUntilReleased() {
    try {
      release.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A route that tells which event loop serves it, so that the test blocks another one. */
  private final class LoopModule implements ApiModule {
    @Override
    public void mount(Router router, ApiSupport support) {
      router.get(LOOP_PATH).handler(rc -> {
        int index = loops().indexOf(ContextInternal.current().nettyEventLoop());
        assertNotEquals(-1, index);
        rc.response().end(Integer.toString(index));
      });
    }

    @Override
    public JsonObject openApiPaths() {
      return new JsonObject();
    }
  }
}
