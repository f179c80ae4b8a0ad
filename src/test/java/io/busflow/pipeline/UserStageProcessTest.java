package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's stage as the README's "Writing a stage actor" builds it: {@code acme.EnrichVerticle} compiled from
 * {@code src/test/resources/acme-stage} against the built busflow.jar into its own acme.jar (not on this test's
 * class path), started in its own JVM with the Vert.x launcher ({@code java -cp busflow.jar:acme.jar
 * VertxApplication acme.EnrichVerticle -cluster}), joined by this JVM, which runs busflow's stages and a
 * train-then-score job whose first step is the actor.
 */
@Tag("process")
@ExtendWith(VertxExtension.class)
class UserStageProcessTest {

  static final String ADDRESS = "acme.enrich";

  @TempDir
  static Path dir;
  private static final String CLUSTER = "busflow-test-" + UUID.randomUUID();
  private static final Stages STAGES = new Stages();
  private static Vertx member;
  private static Process acme;

  @BeforeAll
  static void start() throws Exception {
    Path jar = acmeJar();
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), 2000, 1, null);
    ChurnData.write(dir.resolve("churn-new.csv"), 700, 2, null);
    ProcessBuilder launcher = new ProcessBuilder(javaBin(), "-XX:+ExitOnOutOfMemoryError", "-Xmx384m", "-Djava.net.preferIPv4Stack=true",
        "-Dhazelcast.logging.type=slf4j", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", busflowJar() + File.pathSeparator + jar,
        "io.vertx.launcher.application.VertxApplication", "acme.EnrichVerticle", "-cluster")
        .redirectErrorStream(true).redirectOutput(dir.resolve("acme.log").toFile());
    launcher.environment().put("BUSFLOW_CLUSTER_NAME", CLUSTER);
    acme = launcher.start();
    member = TestCluster.startMember(CLUSTER).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    JsonObject options = Stages.options(dir);
    STAGES.deployStages(member, options).compose(v -> STAGES.deployCoordinator(member, options))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (acme != null) {
      acme.destroyForcibly();
    }
    if (member != null) {
      STAGES.undeployAll().compose(v -> member.close()).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static String busflowJar() {
    String jar = System.getProperty("busflow.jar");
    assertNotNull(jar, "the build names the packaged jar in the system property busflow.jar");
    return jar;
  }

  /** acme.jar: the stage's source compiled against busflow.jar with the JDK's compiler, then jarred. */
  private static Path acmeJar() throws IOException {
    Path src = Path.of("src/test/resources/acme-stage/acme/EnrichVerticle.java");
    Path classes = Files.createDirectories(dir.resolve("acme-classes"));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp", busflowJar(),
        "-d", classes.toString(), src.toString());
    assertEquals(0, status, "javac of " + src);
    Path jar = dir.resolve("acme.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private static String log() {
    try {
      return "\n--- acme.log ---\n" + Files.readString(dir.resolve("acme.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Asks the actor a one-row batch until it answers (its JVM is still joining), at most {@code left} times. */
  private static Future<Batch> untilReachable(int left) {
    Batch probe = Batch.of(new NumericColumn("age", new double[] {42}));
    return member.eventBus().<Batch>request(ADDRESS, new StageProtocol.Apply(probe))
        .map(m -> m.body())
        .recover(t -> {
          boolean absent = ActorException.of(t, ADDRESS).code() == ErrorCode.NO_ACTOR;
          return absent && left > 0 && acme.isAlive() ? member.timer(200).compose(x -> untilReachable(left - 1))
              : Future.failedFuture(new IllegalStateException("the stage JVM never answered: " + t + log()));
        });
  }

  private static Future<JsonObject> run(JsonObject definition) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    Promise<JsonObject> p = Promise.promise();
    member.getOrCreateContext().runOnContext(v -> PipelineClient.run(member, run, x -> { }).onComplete(p));
    return p.future();
  }

  @Test
  @Timeout(value = 240, timeUnit = TimeUnit.SECONDS)
  void stageInItsOwnJarAndJvm_onAnotherClusterMember_feedsTheJobItsColumn(VertxTestContext ctx) {
    JsonObject def = JobContract.churnPipeline().put("score", new JsonObject().put("source", "churn-new.csv"));
    JsonArray steps = def.getJsonObject("preprocessing").getJsonArray("steps");
    steps.getJsonObject(0).getJsonObject("impute").getJsonArray("columns").add("decade");
    steps.getList().add(0, new JsonObject().put("actor", new JsonObject().put("address", ADDRESS)));
    untilReachable(600)
        .compose(probe -> run(def).map(report -> List.of(probe, report)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(4.0, ((Batch) both.get(0)).numeric("decade").get(0), "the stage answered the probe");
          JsonObject report = (JsonObject) both.get(1);
          assertEquals("succeeded", report.getString("state"), report.encodePrettily() + log());
          JsonArray features = report.getJsonObject("training").getJsonObject("preprocessor").getJsonArray("features");
          assertTrue(features.contains("decade"), "the stage's column is a feature: " + features);
          assertEquals(700L, report.getJsonObject("scoring").getLong("rowsWritten"));
          assertEquals(701, Files.readAllLines(dir.resolve("out/churn-scored.csv")).size(), "header and 700 rows");
          ctx.completeNow();
        })));
  }
}
