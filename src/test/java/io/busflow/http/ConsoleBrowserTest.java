package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.serving.Catalog;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by {@code puppeteer-core}
 * from npm through {@code src/test/node/console-browser.js}) against a two-member cluster: member A runs the
 * stages, the coordinator and two HTTP bridges (one with API keys), member B one actor and then leaves. With
 * {@code BUSFLOW_SCREENSHOTS=docs} in the environment the console scenario writes the README's screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final String KEY = "console-test-key-0123456789";
  private static final String PIPELINE = "watch";

  @TempDir
  static Path dir;
  private static List<Vertx> cluster;
  private static final Stages STAGES = new Stages();
  private static int port;
  private static int keyedPort;
  private static int controlPort;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.installNodeDeps(NODE_DIR, "puppeteer-core");
    NodeTools.requireChromium();
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("pipelines"));
    ChurnData.write(dir.resolve("churn.csv"), 20000, 3, null);
    Files.writeString(dir.resolve("pipelines/" + PIPELINE + ".json"),
        JobRoutesTest.pipeline(PIPELINE, "churn.csv", 400).encodePrettily());
    cluster = TestCluster.startNow(2);
    Vertx a = cluster.get(0);
    JsonObject options = Stages.options(dir).put("pipelines", dir.resolve("pipelines").toString());
    Future<Void> ready = STAGES.deployStages(a, options)
        .compose(v -> STAGES.deployCoordinator(a, options))
        .compose(v -> Bridges.actor(cluster.get(1), "test.remote", Future::succeededFuture))
        .compose(v -> Bridges.start(a, new JsonObject(), List.of(), modules(a)).onSuccess(p -> port = p))
        .compose(v -> Bridges.start(a, new JsonObject().put("apiKeys", new JsonArray().add(KEY)), List.of(),
            modules(a)).onSuccess(p -> keyedPort = p))
        .compose(v -> control(a)).map(p -> controlPort = p).mapEmpty();
    ready.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static List<ApiModule> modules(Vertx vertx) {
    Catalog catalog = new Catalog(vertx, dir.resolve("pipelines").toString(),
        new DataRoots("roots", List.of(dir.resolve("out"), dir)));
    return List.of(new JobRoutes(), new CatalogRoutes(catalog), new ConsoleRoutes());
  }

  /** {@code POST /leave} makes member B leave the cluster. */
  private static Future<Integer> control(Vertx a) {
    return a.createHttpServer().requestHandler(req -> cluster.get(1).close()
            .onComplete(ar -> req.response().setStatusCode(ar.succeeded() ? 200 : 500).end()))
        .listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      STAGES.undeployAll().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      TestCluster.stopNow(cluster);
    }
  }

  private static String base(int p) {
    return "http://127.0.0.1:" + p;
  }

  @Test
  @Order(1)
  void withApiKeys_nothingIsShownBeforeTheKey_andThePageWorksAfterIt() throws Exception {
    JsonObject r = NodeTools.run(NODE_DIR, 90, "console-browser.js", "keys", base(keyedPort), KEY);
    assertNull(r.getString("problem"), r.encode());
    assertTrue(r.getJsonArray("apiStatuses").contains(401), r.encode());
    assertTrue(r.getJsonArray("apiStatuses").contains(200), r.encode());
  }

  @Test
  @Order(2)
  void consoleLoadsWithoutErrors_aJobStartedThereShowsProgressThenItsReport_andThePlotsHaveTheReportsNumbers()
      throws Exception {
    JsonObject r = NodeTools.run(NODE_DIR, 150, "console-browser.js", "console", base(port), PIPELINE);
    assertNull(r.getString("problem"), r.encode());
    assertTrue(r.getJsonArray("progressSeen").size() >= 2, r.encode());
    assertEquals(2, r.getJsonArray("confusion").size(), r.encode());
    assertTrue(r.getBoolean("fixtureChecked"), r.encode());
  }

  @Test
  @Order(3)
  void aMemberThatLeavesTheCluster_disappearsFromThePage() throws Exception {
    JsonObject r = NodeTools.run(NODE_DIR, 90, "console-browser.js", "leave", base(port),
        base(controlPort) + "/leave");
    assertNull(r.getString("problem"), r.encode());
    assertEquals(2, r.getJsonArray("nodesBefore").size(), r.encode());
    assertEquals(1, r.getJsonArray("nodesAfter").size(), r.encode());
  }

  /** Node.js and Chromium for the browser tests. */
  static final class NodeTools {

    private NodeTools() {}

    /** Runs {@code npm ci} in {@code dir} unless {@code module} is installed there already. */
    static void installNodeDeps(Path dir, String module) throws IOException, InterruptedException {
      if (Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
        return;
      }
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(dir.toFile()).inheritIO().start();
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("'npm ci' in " + dir + " failed; the browser tests need Node.js and npm "
            + "with access to the npm registry (./run.sh test installs them)");
      }
    }

    static void requireChromium() {
      String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
      if (!Files.isExecutable(Path.of(chromium))) {
        throw new IllegalStateException(chromium + " is missing: install Debian's chromium package "
            + "(apt-get install -y chromium; ./run.sh test does it when run as root) or set CHROMIUM to a Chromium");
      }
    }

    /** Runs {@code node script args…} in {@code dir}; the JSON of its last output line. */
    static JsonObject run(Path dir, int seconds, String script, String... args) throws Exception {
      Path out = Files.createDirectories(Path.of("target/console")).resolve(args[0] + ".out");
      List<String> cmd = new ArrayList<>(List.of("node", script));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
          .redirectError(Path.of(out + ".err").toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the browser test did not finish in " + seconds + " s; see " + out + ".err");
      }
      List<String> lines = Files.readAllLines(out);
      if (lines.isEmpty()) {
        throw new IllegalStateException("the browser test printed nothing: " + Files.readString(Path.of(out + ".err")));
      }
      return new JsonObject(lines.get(lines.size() - 1));
    }
  }
}
