package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SockJS event-bus bridge with the official Node client ({@code @vertx/eventbus-bridge-client.js} from
 * npm, installed into {@code src/test/node} by {@code ./run.sh test}, or here when missing).
 */
@ExtendWith(VertxExtension.class)
class SockJsBridgeTest {

  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final String KEY = "0123456789abcdef-test-key";
  private static final AtomicInteger RUNS = new AtomicInteger();
  private final AtomicInteger secretsServed = new AtomicInteger();

  @BeforeAll
  static void installClient() throws IOException, InterruptedException {
    if (Files.isDirectory(NODE_DIR.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
        .directory(NODE_DIR.toFile()).inheritIO().start();
    if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      throw new IllegalStateException("'npm ci' in " + NODE_DIR + " failed; the SockJS test needs Node.js and "
          + "npm with access to the npm registry (./run.sh test runs it)");
    }
  }

  private static JsonObject http(boolean keys) {
    JsonObject eventbus = new JsonObject()
        .put("inbound", new JsonObject().put("addresses", new JsonArray().add("test.echo").add("test.publisher")))
        .put("outbound", new JsonObject().put("addressRegexes", new JsonArray().add("test\\.ne.*")));
    JsonObject http = new JsonObject().put("eventbus", eventbus);
    return keys ? http.put("apiKeys", new JsonArray().add(KEY)) : http;
  }

  private Future<Integer> start(Vertx vertx, boolean keys) {
    return Future.all(List.of(
            Bridges.actor(vertx, "test.echo", msg -> Future.succeededFuture(
                new JsonObject().put("echo", msg))),
            Bridges.actor(vertx, "test.publisher", msg -> {
              vertx.eventBus().publish("test.news", new JsonObject().put("news", "fresh"));
              return Future.succeededFuture("published");
            }),
            Bridges.actor(vertx, "test.secret", msg -> {
              secretsServed.incrementAndGet();
              return Future.succeededFuture("secret");
            })))
        .compose(v -> Bridges.start(vertx, http(keys), List.of()));
  }

  /** Runs the Node client on a worker thread; its one line of JSON output. */
  private static Future<JsonObject> node(Vertx vertx, String mode, int port, String key) {
    return node(vertx, mode, port, key, Map.of());
  }

  private static Future<JsonObject> node(Vertx vertx, String mode, int port, String key, Map<String, String> env) {
    return vertx.executeBlocking(() -> {
      Path out = Files.createDirectories(Path.of("target/sockjs")).resolve(mode + "-" + RUNS.incrementAndGet());
      List<String> cmd = new ArrayList<>(List.of("node", "bridge-client.js", mode,
          "http://127.0.0.1:" + port + "/eventbus"));
      if (key != null) {
        cmd.add(key);
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(NODE_DIR.toFile())
          .redirectOutput(out.toFile()).redirectError(Path.of(out + ".err").toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the Node client did not finish in 30 s; see " + out + ".err");
      }
      List<String> lines = Files.readAllLines(out);
      if (lines.isEmpty()) {
        throw new IllegalStateException("the Node client printed nothing: " + Files.readString(Path.of(out + ".err")));
      }
      return new JsonObject(lines.get(lines.size() - 1));
    }, false);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodeClient_requestsAnActorAndReceivesAPublishedMessage(Vertx vertx, VertxTestContext ctx) {
    start(vertx, false)
        .compose(port -> node(vertx, "roundtrip", port, null))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertNull(r.getString("problem"), r.encode());
          assertEquals(new JsonObject().put("echo", new JsonObject().put("hello", "node")), r.getJsonObject("reply"));
          assertEquals(new JsonObject().put("news", "fresh"), r.getJsonObject("published"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodeClient_cannotReachAddressesOffTheListsNorInternalOnes(Vertx vertx, VertxTestContext ctx) {
    start(vertx, false)
        .compose(port -> node(vertx, "denied", port, null))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertNull(r.getString("problem"), r.encode());
          assertNull(r.getValue("secretReply"), r.encode());
          assertEquals(403, r.getJsonObject("sendError").getInteger("failureCode"), r.encode());
          assertTrue(r.getJsonObject("sendError").getString("message").contains("inbound allow-list"), r.encode());
          assertEquals(403, r.getJsonObject("registerError").getInteger("failureCode"), r.encode());
          assertTrue(r.getJsonObject("registerError").getString("message").contains("dead-letter"), r.encode());
          assertNull(r.getValue("leaked"), r.encode());
          assertEquals(0, secretsServed.get(), "the refused request must never reach the actor");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodeClient_withApiKeysConfigured_needsTheKeyInItsHeaders(Vertx vertx, VertxTestContext ctx) {
    start(vertx, true)
        .compose(port -> node(vertx, "nokey", port, null).compose(without -> {
          ctx.verify(() -> {
            assertEquals(401, without.getJsonObject("sendError").getInteger("failureCode"), without.encode());
            assertEquals("UNAUTHORIZED", without.getJsonObject("sendError").getString("failureType"));
          });
          return node(vertx, "nokey", port, "wrong-key-wrong-key");
        }).compose(wrong -> {
          ctx.verify(() -> assertEquals(403, wrong.getJsonObject("sendError").getInteger("failureCode"),
              wrong.encode()));
          return node(vertx, "roundtrip", port, KEY);
        }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertNull(r.getString("problem"), r.encode());
          assertEquals(new JsonObject().put("news", "fresh"), r.getJsonObject("published"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodeClient_followsAJobItStartedOverHttp_withTheShippedOutboundAllowList(Vertx vertx, VertxTestContext ctx,
      @TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    Files.writeString(dir.resolve("pipelines/churn.json"), JobRoutesTest.pipeline("churn", "churn.csv", 200).encode());
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf/busflow.json"))).getJsonObject("http");
    JsonObject eventbus = new JsonObject().put("outbound", shipped.getJsonObject("eventbus").getJsonObject("outbound"))
        .put("inbound", new JsonObject().put("addresses", new JsonArray().add("test.echo")));
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    Stages stages = new Stages();
    stages.deployStages(vertx, options)
        .compose(v -> stages.deployCoordinator(vertx, options))
        .compose(v -> Bridges.actor(vertx, "test.echo", Future::succeededFuture))
        .compose(v -> Bridges.start(vertx, new JsonObject().put("eventbus", eventbus), List.of(),
            List.of(new JobRoutes())))
        .compose(port -> node(vertx, "job", port, null, Map.of("JOB_ID", "churn.v2-node", "PIPELINE", "churn",
            "JOBS_URL", "http://127.0.0.1:" + port + JobRoutes.PATH)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertNull(r.getString("problem"), r.encode());
          assertEquals(202, r.getInteger("startStatus"), r.encode());
          JsonObject report = r.getJsonObject("report");
          assertEquals("churn.v2-node", report.getString("job"));
          assertEquals("succeeded", report.getString("state"), report.encode());
          r.getJsonArray("progress").forEach(p -> assertEquals("running", ((JsonObject) p).getString("state")));
          ctx.completeNow();
        })));
  }
}
