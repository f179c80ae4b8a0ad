package io.busflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A busflow node in its own process, as users run it: the launcher's main class on the built jar (the
 * {@code busflow.jar} system property the failsafe run sets; the test class path otherwise), the shipped
 * {@code conf/busflow.json} with the demo pipeline, the repository's {@code data/} and a directory of the test's
 * as roots, HTTP on a free port. For process tests that measure the node from outside (memory, soak); blocking
 * test code, the way such tests drive another process. Stop it with {@link #close()}.
 */
public final class JarNode implements AutoCloseable {

  private static final Pattern PORT = Pattern.compile("HTTP bridge listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private JarNode(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts a node in {@code dir} (its pipelines, output root {@code dir/out}, configuration and log) and waits
   * until its HTTP port is bound and its actors are up.
   *
   * The node runs {@code java -jar busflow.jar} exactly as users start it (the shipped logging included) when
   * the failsafe run names the built jar; with {@code testActors} it runs the launcher on the jar and the test
   * classes instead, so that its configuration may deploy test actors (and the tests' logback-test.xml applies).
   *
   * @param jvm        JVM options ({@code -Xmx512m}, GC logging …)
   * @param testActors whether the test classes are on the node's class path
   * @param edit       changes to the node's configuration before it is written
   */
  public static JarNode start(Path dir, List<String> jvm, boolean testActors, Consumer<JsonObject> edit)
      throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("out"));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.remove("report");
    Files.writeString(pipelines.resolve("churn-demo.json"), demo.encode());
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf", "busflow.json")));
    conf.put("data", new JsonObject()
        .put("roots", new JsonArray().add(Path.of("data").toAbsolutePath().toString()).add(dir.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())));
    conf.put("pipelines", pipelines.toString());
    conf.getJsonObject("http").put("port", 0);
    edit.accept(conf);
    if (conf.getJsonObject("http").getInteger("instances", 1) > 1) {
      // several instances share a port that must be named (port 0 with several instances is refused)
      try (ServerSocket free = new java.net.ServerSocket(0)) {
        conf.getJsonObject("http").put("port", free.getLocalPort());
      }
    }
    Path confFile = Files.writeString(dir.resolve("node.json"), conf.encode());
    Path log = dir.resolve("node.log");
    List<String> cmd = java();
    cmd.addAll(jvm);
    cmd.add("-Djava.net.preferIPv4Stack=true");
    String jar = System.getProperty("busflow.jar");
    String main = System.getProperty("jarnode.main"); // diagnostics: busflow's own launcher, as ./run.sh serve runs it
    if (jar != null && !testActors && main != null) {
      cmd.addAll(List.of("-cp", jar, main, "io.busflow.BusflowNode"));
    } else if (jar != null && !testActors) {
      cmd.addAll(List.of("-jar", jar));
    } else {
      // the test classes' logback-test.xml logs at busflow.test.log: INFO, for the lines read here
      cmd.addAll(List.of("-Dbusflow.test.log=INFO", "-cp", classPath(), "io.vertx.launcher.application.VertxApplication",
          "io.busflow.BusflowNode"));
    }
    cmd.addAll(List.of("-conf", confFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("BUSFLOW_LOG_LEVEL", "INFO");
    Process process = pb.start();
    String text = awaitLog(process, log, t -> PORT.matcher(t).find() && t.contains("' up: "), "the node");
    Matcher m = PORT.matcher(text);
    m.find();
    return new JarNode(process, log, Integer.parseInt(m.group(1)));
  }

  /**
   * The text of {@code log}, the output of {@code process}, once {@code ready} holds for it (polled every 100 ms,
   * for at most 60 s); fails naming {@code what} with the text when the process ends or the time runs out first,
   * and ends the process.
   */
  public static String awaitLog(Process process, Path log, Predicate<String> ready, String what) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (ready.test(text)) {
        return text;
      }
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not start:\n" + text);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The command that starts a JVM like this one's, on the CPUs {@code -Djarnode.cpus} names ({@code taskset -c};
   * diagnostics: the soak with the node and the load generator on cores of their own).
   */
  public static List<String> java() {
    List<String> cmd = new ArrayList<>();
    String cpus = System.getProperty("jarnode.cpus");
    if (cpus != null) {
      cmd.addAll(List.of("taskset", "-c", cpus));
    }
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    return cmd;
  }

  /** The built jar and the test classes (for test actors), or the test class path outside a failsafe run. */
  public static String classPath() {
    String jar = System.getProperty("busflow.jar");
    return jar == null ? System.getProperty("java.class.path")
        : jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
  }

  public Process process() {
    return process;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  /** {@code http://127.0.0.1:port} followed by {@code path}. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The last 4,000 characters of the node's log, headed for a failure message. */
  public String tail() throws IOException {
    String text = Files.readString(log);
    return "\nnode log (end):\n" + text.substring(Math.max(0, text.length() - 4000));
  }

  /** A GET of {@code path} (10 s at most; a timeout names the request and carries the node's log). */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IOException("GET " + path + ": no answer within 10 s" + tail() + threads(), e);
    }
  }

  /** The node's threads ({@code jcmd Thread.print}), headed for a failure message; what it can tell when it fails. */
  private String threads() {
    try {
      return "\nnode threads:\n" + jcmd("Thread.print");
    } catch (Exception e) {
      return "\nnode threads: " + e;
    }
  }

  /** A JSON POST of {@code body} to {@code path}. */
  public HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
    return http.send(postRequest(path, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The request {@link #post} sends, for a test that sends it otherwise. */
  public HttpRequest.Builder postRequest(String path, byte[] body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** Starts a job ({@code POST /api/v1/jobs}) and polls it until it has ended (2 minutes at most): its summary. */
  public JsonObject runJob(JsonObject run) throws Exception {
    HttpResponse<String> started = post("/api/v1/jobs", run.encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(202, started.statusCode(), started.body());
    String id = new JsonObject(started.body()).getString("job");
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      HttpResponse<String> r = get("/api/v1/jobs/" + id);
      assertEquals(200, r.statusCode(), r.body());
      JsonObject job = new JsonObject(r.body());
      if (!job.getString("state").equals("running")) {
        return job;
      }
      assertTrue(System.currentTimeMillis() < deadline, "job " + id + " did not end: " + r.body());
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
  }

  /** Trains the demo pipeline on its bundled data; fails unless the job succeeds. */
  public void trainDemo() throws Exception {
    JsonObject job = runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"));
    assertEquals("succeeded", job.getString("state"), job.encode() + tail());
  }

  /** The live heap: a full collection ({@code jcmd GC.run}), then the used heap in MB. */
  public long liveHeapMb() throws Exception {
    jcmd("GC.run");
    Matcher m = USED.matcher(jcmd("GC.heap_info"));
    assertTrue(m.find(), "no heap figure from jcmd");
    return Long.parseLong(m.group(1)) / 1024;
  }

  /** The output of {@code jcmd <pid> command}. */
  public String jcmd(String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + out);
    return out;
  }

  /** Stops the node as a user would (SIGTERM, so that a flight recording asked for is written), forcibly after 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
