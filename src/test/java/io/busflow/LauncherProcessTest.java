package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.testkit.SlowEcho;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started by the Vert.x launcher in its own JVM, as users start it, joined by this JVM over a
 * loopback cluster: SIGTERM to the launcher drains the node's actors, so every request already sent gets
 * its reply.
 */
@Tag("process")
@ExtendWith(VertxExtension.class)
class LauncherProcessTest {

  private Process node;
  private Vertx member;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly();
    }
    if (member != null) {
      member.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void sigtermToTheLauncher_drainsActors_everyRequestSentGetsItsReply(@TempDir Path dir, VertxTestContext ctx)
      throws Exception {
    String cluster = "busflow-test-" + UUID.randomUUID();
    String address = "test.slow." + UUID.randomUUID();
    Path hz = dir.resolve("cluster.xml");
    Files.writeString(hz, Files.readString(Path.of("conf/cluster.xml"))
        .replace("<cluster-name>busflow</cluster-name>", "<cluster-name>" + cluster + "</cluster-name>"));
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, new JsonObject().put("actors", new JsonObject().put("slow", new JsonObject()
        .put("type", SlowEcho.class.getName()).put("address", address)
        .put("options", new JsonObject().put("delayMs", 100)))).encode());
    node = new ProcessBuilder(javaBin(), "-XX:+ExitOnOutOfMemoryError", "-cp", classPath(),
        "-Dvertx.hazelcast.config=" + hz, "-Djava.net.preferIPv4Stack=true",
        "io.vertx.launcher.application.VertxApplication", BusflowNode.class.getName(),
        "-cluster", "-conf", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
    List<Future<Object>> replies = new ArrayList<>();
    TestCluster.startMember(cluster)
        .onSuccess(v -> member = v)
        .compose(v -> untilReachable(v, address, 600))
        .compose(ref -> {
          for (int i = 0; i < 20; i++) {
            replies.add(ref.ask(i, Duration.ofSeconds(30)));
          }
          // the 20 requests need ~2 s of work; stop the node while most are still queued
          return member.timer(300).map(t -> {
            node.destroy(); // SIGTERM
            return ref;
          });
        })
        .compose(ref -> Future.join(replies))
        .onComplete(ar -> ctx.verify(() -> {
          for (int i = 0; i < 20; i++) {
            assertTrue(replies.get(i).succeeded(), "request " + i + " was lost: " + replies.get(i).cause()
                + "\n" + Files.readString(dir.resolve("node.log")));
            assertEquals(i, replies.get(i).result());
          }
          assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit after SIGTERM");
          ctx.completeNow();
        }));
  }

  /** Asks until the actor answers (the node JVM is still starting), at most {@code attempts} times. */
  private static Future<ActorRef> untilReachable(Vertx vertx, String address, int attempts) {
    ActorRef ref = ActorRef.of(vertx, address);
    Promise<ActorRef> ready = Promise.promise();
    probe(vertx, ref, attempts, ready);
    return ready.future();
  }

  private static void probe(Vertx vertx, ActorRef ref, int attemptsLeft, Promise<ActorRef> ready) {
    ref.ask("probe", Duration.ofSeconds(5)).onComplete(ar -> {
      if (ar.succeeded()) {
        ready.complete(ref);
      } else if (attemptsLeft <= 0 || ((ActorException) ar.cause()).code() != ErrorCode.NO_ACTOR) {
        ready.fail(ar.cause());
      } else {
        vertx.setTimer(100, t -> probe(vertx, ref, attemptsLeft - 1, ready));
      }
    });
  }

  /** The built jar (the build names it in {@code busflow.jar}) and this test's classes, for its actor. */
  private static String classPath() {
    String jar = System.getProperty("busflow.jar");
    return jar == null ? System.getProperty("java.class.path")
        : jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
