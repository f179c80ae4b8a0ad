package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.JarNode;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the launcher as users run them, from the built jar in their own JVMs: batch jobs
 * open no port, the launcher refuses a missing {@code -conf} and {@code -instances 2}, a node starts without
 * Hazelcast's --add-opens warning and stops within two seconds, saying so, and no event loop is blocked.
 */
@Tag("process")
class CliProcessTest {

  @TempDir
  Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void tearDown() {
    started.forEach(Process::destroyForcibly);
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    return startIn(Path.of(""), env, args);
  }

  /** {@link #start} with {@code workDir} as the process's working directory. */
  private Process startIn(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Djava.net.preferIPv4Stack=true"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(workDir.toAbsolutePath().toFile())
        .redirectOutput(dir.resolve("out-" + started.size() + ".log").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private String output(Process p) throws IOException {
    return Files.readString(log(p));
  }

  private Path log(Process p) {
    return dir.resolve("out-" + started.indexOf(p) + ".log");
  }

  private static String jar() {
    return System.getProperty("busflow.jar", "target/busflow.jar");
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** A copy of the demo pipeline named {@code name}, writing its own artifacts and outputs. */
  private Path pipeline(String name) throws IOException {
    JsonObject def = new JsonObject(Files.readString(Path.of("conf/pipelines/churn-demo.json"))).put("name", name);
    def.getJsonObject("preprocessing").put("path", name + ".preprocessor.json");
    def.getJsonObject("model").put("path", name + ".model.json");
    def.getJsonObject("output").put("path", name + "-predictions.csv");
    def.put("report", name + "-report.json");
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, def.encodePrettily());
    return file;
  }

  @Test
  void twoBatchJobsAtOnce_withTheConfiguredPortTaken_bothSucceed_withoutBlockingAnEventLoop() throws Exception {
    Files.createDirectories(Path.of("data", "out"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = Map.of("BUSFLOW_HTTP__PORT", Integer.toString(taken.getLocalPort()));
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      Process a = start(env, "-cp", jar(), Cli.class.getName(), "pipeline", pipeline("cli-a-" + suffix).toString());
      Process b = start(env, "-cp", jar(), Cli.class.getName(), "pipeline", pipeline("cli-b-" + suffix).toString());
      for (Process p : List.of(a, b)) {
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the job did not end");
        String out = output(p);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("succeeded"), out);
        assertFalse(out.contains("has been blocked"), out);
        assertFalse(out.contains("WARN"), "a quiet start: " + out);
      }
    }
  }

  @Test
  void aJob_runFromADirectoryWithoutConf_usesTheShippedConfiguration() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path out = Files.createDirectories(dir.resolve("outputs"));
    Map<String, String> env = Map.of("BUSFLOW_DATA__ROOTS", "[\"" + Path.of("data").toAbsolutePath() + "\"]",
        "BUSFLOW_DATA__OUTPUT_ROOTS", "[\"" + out + "\"]");
    Process p = startIn(elsewhere, env, "-cp", Path.of(jar()).toAbsolutePath().toString(), Cli.class.getName(),
        "pipeline", pipeline("cli-elsewhere").toString());
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the job did not end");
    assertEquals(0, p.exitValue(), output(p));
    assertTrue(output(p).contains("succeeded"), output(p));
    assertTrue(Files.size(out.resolve("cli-elsewhere-predictions.csv")) > 0, output(p));
    assertFalse(output(p).contains("SLF4J"), output(p));
  }

  @Test
  void runShHelp_printsTheCommandsAndNothingElse() throws Exception {
    Process p = new ProcessBuilder("bash", "run.sh", "help").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("./run.sh pipeline FILE"), out);
    assertFalse(out.contains("set -euo pipefail"), out);
  }

  /**
   * {@code ./run.sh serve} runs a copy of the jar under target/run/, not target/busflow.jar, which the next build
   * rewrites in place under a running JVM (whose event loops then die of NoClassDefFoundError).
   */
  @Test
  void runShServe_runsACopyOfTheJar_thatTheNextBuildLeavesAlone() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "run.sh", "serve").redirectErrorStream(true)
        .redirectOutput(dir.resolve("out-" + started.size() + ".log").toFile());
    pb.environment().put("BUSFLOW_HTTP__PORT", "0");
    Process p = pb.start(); // run.sh execs java: p is the node
    started.add(p);
    JarNode.awaitLog(p, log(p), t -> t.contains("' up: "), "the node");
    String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
    assertTrue(cmdline.matches(".* -cp target/run/busflow-[0-9]+-[0-9]+\\.jar io\\.busflow\\.Launcher .*"), cmdline);
    assertTrue(Files.isRegularFile(Path.of(cmdline.split(" -cp ")[1].split(" ")[0])), cmdline);
    p.destroy();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
  }

  @Test
  void theLauncher_refusesAConfThatDoesNotExist() throws Exception {
    Process p = start(Map.of(), "-cp", jar(), "io.busflow.Launcher", "io.busflow.BusflowNode", "-conf",
        "conf/busflw.json");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), output(p));
    assertTrue(output(p).contains("configuration file 'conf/busflw.json' (-conf) does not exist"), output(p));
  }

  private Path nodeConf() throws IOException {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, new JsonObject()
        .put("actors", new JsonObject().put("t", new JsonObject().put("type", "tutorial-loader")))
        .put("http", new JsonObject().put("enabled", true).put("port", 0)).encode());
    return conf;
  }

  @Test
  void theLauncher_refusesTwoInstancesOfTheNode_pointingAtActorInstances() throws Exception {
    Process p = start(Map.of(), "-jar", jar(), "-instances", "2", "-conf", nodeConf().toString());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
    assertNotEquals(0, p.exitValue());
    assertTrue(output(p).contains("set actors.<name>.instances"), output(p));
  }

  @Test
  void anIdleNode_stopsWithinTwoSecondsOfSigterm_sayingSo() throws Exception {
    Process p = start(Map.of(), "-cp", jar(), "io.busflow.Launcher", "io.busflow.BusflowNode", "-conf",
        nodeConf().toString());
    untilOutput(p, "up:", 60);
    p.destroy();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM: " + output(p));
    Matcher m = Pattern.compile("stopped in (\\d+) ms").matcher(output(p));
    assertTrue(output(p).contains("stopping") && m.find(), output(p));
    assertTrue(Long.parseLong(m.group(1)) < 2000, output(p));
    // e.g. Micrometer's warning about a filter added to a registry that has series already
    assertFalse(output(p).contains("WARN"), "a quiet start and stop: " + output(p));
  }

  @Test
  void aClusterNode_startsWithoutHazelcastsAddOpensWarning() throws Exception {
    Process p = start(Map.of("BUSFLOW_CLUSTER_NAME", "cli-test-" + UUID.randomUUID()), "-jar", jar(), "-cluster",
        "-conf", "conf/nodes/model.json");
    untilOutput(p, "up:", 120);
    assertFalse(output(p).contains("--add-opens"), output(p));
    assertFalse(output(p).contains("has been blocked"), output(p));
  }

  private void untilOutput(Process p, String text, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output(p).contains(text)) {
      assertTrue(p.isAlive(), "exited: " + output(p));
      assertTrue(System.nanoTime() < end, "no '" + text + "' after " + seconds + " s: " + output(p));
      p.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }
}
