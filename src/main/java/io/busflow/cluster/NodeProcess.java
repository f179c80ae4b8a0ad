package io.busflow.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A busflow node in its own JVM, started as users start one: the Vert.x launcher with {@code -cluster} and a
 * node configuration (a role of conf/nodes), joining the cluster named by {@code BUSFLOW_CLUSTER_NAME} in
 * {@code env}. Runs {@code java -XX:+ExitOnOutOfMemoryError -jar} on the jar the system property {@code busflow.jar} names (the build
 * sets it for its process tests), else from this JVM's class path (the jar, when run from it). Its
 * output goes to {@code logDir/NAME.log}; {@link #ready} completes once the node logged that it is up (it
 * logs at INFO: give {@code BUSFLOW_LOG_LEVEL=INFO} when busflow's default logging is not). For the demo,
 * the benches and the multi-process tests.
 */
public final class NodeProcess {

  /** The launcher's main verticle (named, not imported: nothing in busflow imports the wiring). */
  static final String MAIN_VERTICLE = "io.busflow.BusflowNode";

  private final Process process;
  private final Path log;
  private final String name;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java jvmArgs … -jar busflow.jar -cluster -conf roleFile} (or the same from the class path) with {@code env} added. */
  public static NodeProcess start(String name, Path roleFile, Path logDir, Map<String, String> env,
      String... jvmArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.logging.type=slf4j"));
    cmd.addAll(List.of(jvmArgs));
    String jar = System.getProperty("busflow.jar");
    cmd.addAll(jar != null ? List.of("-jar", jar) : List.of("-cp", System.getProperty("java.class.path"),
        "io.vertx.launcher.application.VertxApplication", MAIN_VERTICLE));
    cmd.addAll(List.of("-cluster", "-conf", roleFile.toString()));
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new NodeProcess(name, pb.start(), log);
  }

  public String name() {
    return name;
  }

  /** Completes when the node logged "node '…' up", fails when it exits first or after {@code timeoutMs}. */
  public Future<NodeProcess> ready(Vertx vertx, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    return poll(vertx, deadline);
  }

  private Future<NodeProcess> poll(Vertx vertx, long deadline) {
    return vertx.fileSystem().readFile(log.toString()).compose(text -> {
      if (text.toString().contains("' up: ")) {
        return Future.succeededFuture(this);
      }
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new IllegalStateException("node " + name + " did not start ("
            + (process.isAlive() ? "not up after the wait" : "exited with " + process.exitValue()) + "); its log "
            + log + ":\n" + text));
      }
      return vertx.timer(100).compose(t -> poll(vertx, deadline));
    });
  }

  /** kill -9: the JVM dies at once, without leaving the cluster. */
  public void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM: the launcher closes Vert.x, which drains the node's actors and leaves the cluster. */
  public void terminate() {
    process.destroy();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  /** SIGTERM, then waits up to {@code seconds} for the exit; kill -9 if it does not come. Its exit value. */
  public int stop(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
