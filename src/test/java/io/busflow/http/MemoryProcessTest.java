package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.testkit.JarNode;
import io.busflow.testkit.MemoryHog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded memory and fail-loud on a node started from the built jar, as users start it: on {@code -Xmx512m},
 * 40 concurrent ~10 MB predict requests all get an answer (200, 413 or 503, never 500 or none) and the heap
 * after GC comes back within 50 MB; 20 training jobs with a new 10 MB categorical value each fail cleanly naming
 * line, column and {@code maxFieldChars}, or, with those bounds raised, are refused by the node's state-store
 * bound ({@code storeBytes}) naming id, size and key — either way the heap after GC comes back within 50 MB; a 600 MB
 * CSV field and JSON line fail their jobs at {@code read.maxRecordChars}, with no OutOfMemoryError; the node serves a normal job and predict request afterwards; an OutOfMemoryError inside a worker stage turns readiness DOWN and ends the process with exit status 3.
 * Blocking test code (its own JVM talks to another process): plain JUnit with the JDK's HTTP client.
 */
@Tag("process")
class MemoryProcessTest {

  private static final Path DATA = Path.of("data").toAbsolutePath();

  @TempDir
  Path dir;
  private JarNode node;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void hugeRequestsAndHugeValues_areAnsweredAndShed_theHeapComesBack_andTheNodeServesAfter() throws Exception {
    start("-Xmx512m", new JsonObject());
    assertEquals("succeeded", runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"))
        .getString("state"));
    assertEquals(200, predict(normalBody()).statusCode());
    long before = heapAfterGcMb();

    List<byte[]> kinds = List.of(recordsBody(60_000, 0), emptyObjectsBody(3_300_000), recordsBody(9_000, 900));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(http.sendAsync(node.postRequest("/api/v1/pipelines/churn-demo/predict", kinds.get(i % 3))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < all.size(); i++) {
      String outcome;
      try {
        HttpResponse<String> r = all.get(i).get(120, TimeUnit.SECONDS);
        outcome = r.statusCode() + (r.statusCode() == 200 ? "" : " " + Bridges.errorCode(new JsonObject(r.body())));
      } catch (java.util.concurrent.ExecutionException e) {
        outcome = "no answer: " + e.getCause();
      }
      outcomes.merge("kind " + (i % 3) + ": " + outcome, 1, Integer::sum);
    }
    for (String o : outcomes.keySet()) {
      assertTrue(o.matches("kind \\d: (200|413 TOO_LARGE|503 MAILBOX_FULL)"), "outcomes " + outcomes + "\n"
          + node.tail());
    }

    long after = heapAfterGcMb();
    System.out.printf("MemoryProcessTest: 40 huge predicts %s, heap after GC %d MB -> %d MB%n", outcomes, before,
        after);
    assertTrue(after < before + 50, "heap after GC " + after + " MB, at the start " + before + " MB\n"
        + histogram());
    long beforeJobs = heapAfterGcMb();
    for (int i = 0; i < 20; i++) {
      JsonObject job = runJob(wideJob("churn-demo", i));
      assertEquals("failed", job.getString("state"), job.encode());
      assertTrue(job.encode().contains("maxFieldChars") && job.encode().contains("column 'country'"), job.encode());
    }
    long afterJobs = heapAfterGcMb();
    System.out.printf("MemoryProcessTest: 20 jobs refused a 10 MB value, heap after GC %d MB -> %d MB%n", beforeJobs,
        afterJobs);
    assertTrue(afterJobs < beforeJobs + 50, "heap after GC " + afterJobs + " MB after 20 jobs with a 10 MB value, "
        + beforeJobs + " MB before them\n" + histogram());
    // a field, and a JSON line, larger than the heap: the reader stops at read.maxRecordChars, never holding them
    for (String source : List.of(writeHugeRecord("huge.csv"), writeHugeRecord("huge.jsonl"))) {
      JsonObject job = runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train")
          .put("source", source));
      assertEquals("failed", job.getString("state"), job.encode());
      assertTrue(job.encode().contains("read.maxRecordChars") && job.encode().contains(source + " line 3"),
          job.encode() + "\n" + node.tail());
    }
    assertEquals("succeeded", runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"))
        .getString("state"));
    assertEquals(200, predict(normalBody()).statusCode());
  }

  /** Churn rows whose line 3 holds a 600 MB country: CSV, or JSON Lines for a name ending in {@code .jsonl}. */
  private String writeHugeRecord(String name) throws IOException {
    boolean json = name.endsWith(".jsonl");
    char[] chunk = new char[1 << 20];
    java.util.Arrays.fill(chunk, 'q');
    try (var out = Files.newBufferedWriter(dir.resolve(name))) {
      out.write(json ? "{\"customer_id\": 1, \"age\": 30, \"country\": \"DE\", \"churned\": 0}\n"
          + "{\"customer_id\": 4, \"age\": 40, \"country\": \"NL\", \"churned\": 1}\n"
          + "{\"customer_id\": 2, \"age\": 31, \"churned\": 1, \"country\": \""
          : "customer_id,age,country,churned\n1,30,DE,0\n2,31,\"");
      for (int i = 0; i < 600; i++) {
        out.write(chunk);
      }
      out.write(json ? "\"}\n{\"customer_id\": 3, \"age\": 32, \"country\": \"FR\", \"churned\": 0}\n"
          : "\",1\n3,32,FR,0\n");
    }
    return name;
  }

  /**
   * The same 20 jobs on a pipeline whose read and level bounds let the 10 MB values in ({@code read.maxFieldChars}
   * and the steps' {@code maxLevelChars} raised): each becomes an imputed mode, a one-hot level and a feature
   * name, a fitted preprocessor state of about 42 MB (estimated). The node's state store is bounded by
   * configuration ({@code storeBytes}, here 24 MB), so each job is refused with BAD_REQUEST naming the state's
   * id, size and the key, the heap after GC stays within 50 MB, and the node then serves a normal job and
   * predict request.
   */
  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void twentyJobsPastTheFieldBounds_areRefusedByTheStateStoreBound_theHeapStaysWithin50Mb_andTheNodeServesAfter()
      throws Exception {
    JsonObject store = new JsonObject().put("storeBytes", 24L << 20);
    start("-Xmx512m", new JsonObject(), conf -> {
      conf.getJsonObject("actors").getJsonObject("preprocess").put("options", store.copy());
      conf.getJsonObject("actors").getJsonObject("model").put("options", store.copy());
    });
    JsonObject wide = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    wide.remove("report");
    wide.put("name", "churn-wide").put("mode", "train").put("read", new JsonObject().put("maxFieldChars", 11 << 20));
    wide.getJsonObject("preprocessing").put("path", "churn-wide.preprocessor.json");
    wide.getJsonObject("preprocessing").getJsonArray("steps").forEach(step -> ((JsonObject) step).fieldNames()
        .stream().filter(k -> k.equals("impute") || k.equals("onehot")).forEach(k -> ((JsonObject) step)
            .getJsonObject(k).put("maxLevelChars", 11 << 20)));
    wide.getJsonObject("model").put("path", "churn-wide.model.json");
    wide.remove("output");
    Files.writeString(dir.resolve("pipelines").resolve("churn-wide.json"), wide.encode());
    assertEquals("succeeded", runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"))
        .getString("state"));
    assertEquals(200, predict(normalBody()).statusCode());
    long before = heapAfterGcMb();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      JsonObject job = runJob(wideJob("churn-wide", i));
      String outcome = job.getString("state") + (job.containsKey("error")
          ? " " + job.getJsonObject("error").getString("code") : "");
      outcomes.merge(outcome, 1, Integer::sum);
      String message = job.containsKey("error") ? job.getJsonObject("error").getString("message") : job.encode();
      assertTrue(outcome.equals("failed BAD_REQUEST") && message.contains("'pp-") && message.contains("bytes, more "
          + "than the 25165824-byte budget") && message.contains("actors.preprocess.options.storeBytes"),
          outcome + ": " + message.substring(0, Math.min(2000, message.length())));
    }
    HttpResponse<String> list = get("/api/v1/jobs?limit=100");
    assertEquals(200, list.statusCode(), list.body());
    assertTrue(list.body().length() < 200_000, "the job list is summaries: " + list.body().length() + " characters");
    long after = heapAfterGcMb();
    System.out.printf("MemoryProcessTest: 20 jobs past the field bounds %s, heap after GC %d MB -> %d MB, job list "
        + "%d characters%n", outcomes, before, after, list.body().length());
    assertTrue(after < before + 50, "heap after GC " + after + " MB after 20 jobs past the field bounds ("
        + outcomes + "), " + before + " MB before them\n" + histogram());
    assertEquals("succeeded", runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"))
        .getString("state"));
    assertEquals(200, predict(normalBody()).statusCode());
  }

  /** A train job of {@code pipeline} on 300 churn rows whose row 150 has a new 10 MB country (the {@code n}th). */
  private JsonObject wideJob(String pipeline, int n) throws IOException {
    String source = "wide-" + n + ".csv";
    writeWideSource(dir.resolve(source), n);
    return new JsonObject().put("pipeline", pipeline).put("mode", "train").put("source", source);
  }

  private String histogram() throws Exception {
    return node.jcmd("GC.class_histogram").lines().limit(25).reduce("", (a, b) -> a + b + "\n");
  }

  /**
   * A training job whose model fit would keep more rows than half the heap (1,200,000 churn rows on {@code -Xmx160m}:
   * about 115 MB of features for the fit against a bound of about 80 MB) fails with {@code TOO_LARGE} naming the
   * bound's option, at the batch that passes it; the node lives on — no OutOfMemoryError, readiness UP —, gives the
   * fit's memory back, and trains and serves the demo pipeline afterwards.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aTrainingJobTooLargeForTheHeap_failsTooLargeNamingTheBound_andTheNodeServesAfter() throws Exception {
    start("-Xmx160m", new JsonObject());
    List<String> lines = Files.readString(DATA.resolve("churn-20000.csv")).lines().toList();
    try (var out = Files.newBufferedWriter(dir.resolve("churn-1200000.csv"))) {
      out.write(lines.get(0) + "\n");
      for (int copy = 0; copy < 60; copy++) {
        for (String line : lines.subList(1, lines.size())) {
          out.write(line + "\n");
        }
      }
    }
    JsonObject job = runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train")
        .put("source", "churn-1200000.csv"));
    assertEquals("failed", job.getString("state"), job.encodePrettily());
    JsonObject error = job.getJsonObject("error");
    assertEquals("TOO_LARGE", error.getString("code"), error.encode());
    assertTrue(error.getString("message").contains("model fit: keeping the rows to fit would take ")
        && error.getString("message").contains("past this node's bound on fit memory")
        && error.getString("message").contains("(actors.model.options.fitMaxBytes; by default half the maximum heap)"),
        error.getString("message"));
    assertEquals(200, get("/health/ready").statusCode());
    assertEquals("succeeded", runJob(new JsonObject().put("pipeline", "churn-demo").put("mode", "train"))
        .getString("state"));
    assertEquals(200, predict(normalBody()).statusCode());
    assertTrue(node.process().isAlive());
    assertFalse(Files.readString(node.log()).contains("OutOfMemoryError"), "the log names an OutOfMemoryError");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anOutOfMemoryErrorInAWorkerStage_turnsReadinessDown_andEndsTheProcessWithStatus3() throws Exception {
    start("-Xmx128m", new JsonObject().put("hog", new JsonObject().put("type", MemoryHog.class.getName())
        .put("address", "test.hog").put("threading", "worker")));
    assertEquals(200, get("/health/ready").statusCode());
    http.sendAsync(node.postRequest("/api/v1/bus/test.hog", "{}".getBytes(StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    boolean down = false;
    long deadline = System.currentTimeMillis() + 20_000;
    while (!down && node.process().isAlive() && System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<String> r = get("/health/ready");
        down = r.statusCode() == 503 && new JsonObject(r.body()).getString("status").equals("DOWN");
      } catch (IOException e) {
        // not answering any more: the process is going
      }
    }
    String log = Files.readString(node.log());
    assertTrue(down, "readiness never answered DOWN before the exit; log:\n" + log);
    assertTrue(node.process().waitFor(15, TimeUnit.SECONDS), "the node did not exit after its OutOfMemoryError");
    log = Files.readString(node.log());
    assertEquals(3, node.process().exitValue(), log);
    assertTrue(log.contains("fatal java.lang.OutOfMemoryError"), log);
  }

  // ---------------------------------------------------------------- the node

  private void start(String xmx, JsonObject extraActors) throws Exception {
    start(xmx, extraActors, conf -> { });
  }

  /** A node on {@code xmx} with {@code extraActors} (reachable on the HTTP bus as {@code test.hog}). */
  private void start(String xmx, JsonObject extraActors, Consumer<JsonObject> edit) throws Exception {
    node = JarNode.start(dir, List.of(xmx, "-XX:+UseG1GC"), true, conf -> {
      conf.getJsonObject("actors").mergeIn(extraActors);
      conf.getJsonObject("http").getJsonObject("bus").put("addresses", new JsonArray().add("test.hog"));
      edit.accept(conf);
    });
  }

  private long heapAfterGcMb() throws Exception {
    return node.liveHeapMb();
  }

  private JsonObject runJob(JsonObject run) throws Exception {
    return node.runJob(run);
  }

  private HttpResponse<String> predict(byte[] body) throws Exception {
    return node.post("/api/v1/pipelines/churn-demo/predict", body);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return node.get(path);
  }

  // ---------------------------------------------------------------- bodies

  /** 300 churn rows, row 150's country a new 10 MB value. */
  private static void writeWideSource(Path file, int n) throws IOException {
    List<String> lines = new ArrayList<>(Files.readString(DATA.resolve("churn-20000.csv")).lines().limit(301).toList());
    String[] f = lines.get(150).split(",", -1);
    f[6] = "z".repeat(10 << 20) + n;
    lines.set(150, String.join(",", f));
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static byte[] normalBody() {
    return recordsBody(1, 0);
  }

  /** {@code n} churn records (~160 bytes each), the country padded with {@code pad} characters. */
  private static byte[] recordsBody(int n, int pad) {
    StringBuilder b = new StringBuilder(n * (170 + pad)).append("{\"records\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"customer_id\":\"C").append(i).append("\",\"age\":41,\"income\":52000.5,")
          .append("\"balance\":1200.0,\"tenure_months\":18,\"num_products\":2,\"country\":\"FR")
          .append("q".repeat(pad)).append("\",\"segment\":\"retail\",\"is_active\":1}");
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] emptyObjectsBody(int n) {
    return ("{\"records\":[" + "{},".repeat(n - 1) + "{}]}").getBytes(StandardCharsets.UTF_8);
  }
}
