package io.busflow.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.busflow.BusflowNode;
import io.busflow.data.model.Model;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.stage.Artifact;
import io.busflow.stage.ModelTypes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W2, online scoring over HTTP (shared/workloads/README.md): a node from conf/busflow.json (its HTTP bridge
 * on a free port, its pipelines directory target/bench/w2/pipelines) trains pipeline {@code w2} — the demo's
 * preprocessing and logistic regression on data/churn-20000.csv — then wrk ({@code -t2 -c64}) POSTs records
 * of data/churn-new.csv, 1 and 64 per request, alternately to {@code POST /api/v1/pipelines/w2/predict}
 * (preprocessor and model actors over the event bus) and to the bare route of {@link W2Bare} in the same
 * JVM, after checking that both answer the same. Each round measures both sides back to back; reports the
 * medians over the rounds of requests/s and latencies, the median of the rounds' ratios, and a last line
 * {@code w2 busflow_rps_1=… bare_rps_1=… ratio_1=… p99_ms_1=… busflow_rps_64=… bare_rps_64=… ratio_64=…};
 * full results in target/bench/w2.json.
 *
 * <p>With {@code --model onnx} the node serves instead the score pipeline {@code w2onnx}: the gradient-boosting
 * ONNX fixture {@code breast_cancer_gb.onnx} (copied with its rows from {@link #ONNX_FIXTURES} into
 * target/bench/w2onnx), no preprocessing; the records are rows of {@code breast_cancer.csv} without their
 * target, the bare route runs the same model file loaded directly by the onnx model type, the last line starts
 * {@code w2 model=onnx-gb} and the full results go to target/bench/w2onnx.json.
 */
final class W2Bench {

  /** The values of {@code --model}: the demo's logistic pipeline (default), or the ONNX gradient boosting. */
  static final String[] MODELS = {"logistic", "onnx"};

  /** Where the ONNX fixture is taken from: the source tree, copied under {@code target/bench/w2onnx} per run. */
  static final Path ONNX_FIXTURES = Path.of("src", "test", "resources", "onnx");
  private static final String ONNX_MODEL = "breast_cancer_gb.onnx";
  private static final String ONNX_ROWS = "breast_cancer.csv";

  /** The quiet time before each side's run in which the JVM's background cost is measured ({@link RequestCost}). */
  private static final long IDLE_MS = 1000;

  /** Records per request: W2's single record and its 64-record variant. */
  private static final int[] SIZES = {1, 64};

  /**
   * One variant of W2: its pipeline (also the name of its directory under target/bench), the CSV its records
   * come from, the column left out of them (null: none) and the prefix of the last line.
   */
  private record Variant(String pipeline, Path csv, String skip, String line) {
    Path dir() {
      return Path.of("target", "bench", pipeline);
    }
  }

  private W2Bench() {}

  /** The value of {@code --model}; a usage error for any other than {@link #MODELS}. */
  static String model(BenchArgs args) {
    return args.choice("model", MODELS);
  }

  static void run(BenchArgs args) throws Exception {
    boolean onnx = model(args).equals("onnx");
    Variant v = onnx ? new Variant("w2onnx", Path.of("target", "bench", "w2onnx", ONNX_ROWS), "target",
        "w2 model=onnx-gb") : new Variant("w2", Path.of("data", "churn-new.csv"), null, "w2");
    Wrk.require();
    W1Bench.quietUnlessAsked();
    int rounds = (int) args.number("rounds", 5);
    int seconds = (int) args.number("duration", 8);
    int connections = (int) args.number("connections", 64);
    Files.createDirectories(v.dir().resolve("pipelines"));
    if (onnx) {
      copyOnnxFixture(v.dir());
    }
    Files.writeString(v.dir().resolve("pipelines").resolve(v.pipeline() + ".json"),
        (onnx ? onnxPipeline(v) : pipeline()).encodePrettily());
    Vertx vertx = Vertx.vertx();
    try {
      BusflowNode node = new BusflowNode();
      PingBench.await(vertx.deployVerticle(node, new DeploymentOptions().setConfig(nodeConfig(v.dir()))));
      W2Bare bare;
      if (onnx) {
        bare = onnxBare(v);
      } else {
        train(vertx);
        bare = bare();
      }
      PingBench.await(vertx.deployVerticle(bare));
      String busflowUrl = "http://127.0.0.1:" + node.httpPort() + "/api/v1/pipelines/" + v.pipeline() + "/predict";
      String bareUrl = "http://127.0.0.1:" + bare.port() + W2Bare.PATH;
      System.out.printf("W2 online scoring%s: wrk -t2 -c%d, %d s per run, %d rounds (+1 warm-up) per side and size, "
          + "%d cores, max heap %d MB%n", onnx ? " (ONNX gradient boosting, " + ONNX_MODEL + ")" : "", connections,
          seconds, rounds, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
      JsonObject results = new JsonObject();
      for (int size : SIZES) {
        if (!args.string("sizes", "1,64").matches("(.*,)?" + size + "(,.*)?")) {
          continue;
        }
        String body = new JsonObject().put("records", records(v.csv(), v.skip(), size)).encode();
        sameAnswers(vertx, busflowUrl, bareUrl, body);
        Path script = Wrk.script(v.dir().resolve("post-" + size + ".lua"), body);
        results.put(Integer.toString(size), measure(size, busflowUrl, bareUrl, script, rounds, seconds, connections));
      }
      report(v, onnx ? "onnx-gb" : "logistic", results, rounds, seconds, connections);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The demo's preprocessing and model, saved under target/bench/w2. */
  private static JsonObject pipeline() throws IOException {
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.put("name", "w2").put("mode", "train").remove("score");
    demo.remove("output");
    demo.remove("report");
    demo.getJsonObject("preprocessing").put("path", "bench/w2/w2.preprocessor.json");
    demo.getJsonObject("model").put("path", "bench/w2/w2.model.json");
    return demo;
  }

  /** conf/busflow.json with the HTTP bridge on a free port and the pipelines directory under {@code dir}. */
  private static JsonObject nodeConfig(Path dir) throws IOException {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf", "busflow.json")));
    conf.put("pipelines", dir.resolve("pipelines").toString());
    conf.put("data", new JsonObject().put("roots", new JsonArray().add("data"))
        .put("outputRoots", new JsonArray().add("target")));
    conf.getJsonObject("http").put("port", 0);
    return conf;
  }

  private static void train(Vertx vertx) throws Exception {
    JsonObject report = PingBench.await(PipelineClient.run(vertx,
        new PipelineProtocol.Run("w2", null, null, new JsonObject()), p -> { }));
    if (!"succeeded".equals(report.getString("state"))) {
      throw new IllegalStateException("training pipeline w2 failed: " + report.encodePrettily());
    }
  }

  private static W2Bare bare() throws IOException {
    return W2Bare.of("w2", Path.of("target", "bench", "w2", "w2.preprocessor.json"),
        Path.of("target", "bench", "w2", "w2.model.json"));
  }

  /**
   * The ONNX model and its rows copied from {@link #ONNX_FIXTURES} into {@code dir}, so that the node finds the
   * model under its output root ({@code target}); fails naming the source tree when it is not there.
   */
  private static void copyOnnxFixture(Path dir) throws IOException {
    for (String f : List.of(ONNX_MODEL, ONNX_ROWS)) {
      Path from = ONNX_FIXTURES.resolve(f);
      if (!Files.isRegularFile(from)) {
        throw new IllegalArgumentException("--model onnx serves " + from + ", which is not here; run the bench "
            + "from the root of a busflow checkout (" + Path.of("").toAbsolutePath() + " is not one)");
      }
      Files.copy(from, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The feature columns of the ONNX fixture's rows in the model's input order: every column but id and target. */
  private static List<String> onnxFeatures(Variant v) throws IOException {
    List<String> header = new ArrayList<>(List.of(Files.readAllLines(v.csv()).get(0).split(",")));
    header.remove("id");
    header.remove(v.skip());
    return header;
  }

  /** A score pipeline: the ONNX model, no preprocessing (README, "Serving an ONNX model trained in Python"). */
  private static JsonObject onnxPipeline(Variant v) throws IOException {
    return new JsonObject().put("name", v.pipeline()).put("mode", "score").put("id", "id")
        .put("model", new JsonObject().put("type", "onnx").put("path", modelPath(v))
            .put("params", new JsonObject().put("features", new JsonArray(onnxFeatures(v)))))
        .put("output", new JsonObject().put("path", "bench/" + v.pipeline() + "/scores.csv"));
  }

  /** The model's path as the pipeline names it, under the output root {@code target}. */
  private static String modelPath(Variant v) {
    return "bench/" + v.pipeline() + "/" + ONNX_MODEL;
  }

  /** The same ONNX model loaded directly by its model type, behind the pass-through preprocessor the route uses. */
  private static W2Bare onnxBare(Variant v) throws IOException {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("type", "onnx");
    state.put(Artifact.FILE, modelPath(v));
    state.put("params", Map.of("features", onnxFeatures(v)));
    Model model = ModelTypes.load(new Artifact("onnx", ModelTypes.get("onnx", "--model").mediaType(), state,
        modelPath(v), Files.readAllBytes(v.dir().resolve(ONNX_MODEL))));
    return new W2Bare(v.pipeline(), new Preprocessor("id", null, List.of(), model.featureNames()), model);
  }

  /** The first {@code n} rows of {@code csv} as records, without column {@code skip}: empty fields null, numbers as numbers. */
  static JsonArray records(Path csv, String skip, int n) throws IOException {
    JsonArray out = new JsonArray();
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
      Iterator<CsvRecord> it = reader.iterator();
      List<String> header = it.next().getFields();
      while (out.size() < n && it.hasNext()) {
        JsonObject r = record(header, it.next().getFields());
        if (skip != null) {
          r.remove(skip);
        }
        out.add(r);
      }
    }
    return out;
  }

  private static JsonObject record(List<String> header, List<String> fields) {
    JsonObject r = new JsonObject();
    for (int j = 0; j < header.size(); j++) {
      String v = fields.get(j);
      boolean text = j == 0 || !v.matches("-?[0-9.eE+-]+");
      r.put(header.get(j), v.isEmpty() ? null : text ? v : (Object) Double.parseDouble(v));
    }
    return r;
  }

  /** Both routes must answer the same before their speeds are compared. */
  private static void sameAnswers(Vertx vertx, String busflowUrl, String bareUrl, String body) throws Exception {
    HttpClient client = vertx.createHttpClient();
    JsonObject a = PingBench.await(post(client, busflowUrl, body));
    JsonObject b = PingBench.await(post(client, bareUrl, body));
    client.close();
    if (a == null || !a.equals(b)) {
      throw new IllegalStateException("the predict route and the bare route answer differently:\n" + a + "\n" + b);
    }
  }

  private static Future<JsonObject> post(HttpClient client, String url, String body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url))
        .compose(req -> req.putHeader("Content-Type", "application/json").send(Buffer.buffer(body)))
        .compose(HttpClientResponse::body)
        .map(Buffer::toJsonObject);
  }

  private static JsonObject measure(int size, String busflowUrl, String bareUrl, Path script, int rounds, int seconds,
                                    int connections) throws Exception {
    double[][] busflow = new double[5][rounds];
    double[][] bare = new double[5][rounds];
    double[] ratios = new double[rounds];
    for (int r = -1; r < rounds; r++) {
      RequestCost.Start bStart = RequestCost.start(IDLE_MS);
      Wrk.Result b = Wrk.run(busflowUrl, script, 2, connections, seconds);
      RequestCost.PerRequest bCost = RequestCost.since(bStart, b.requests());
      RequestCost.Start pStart = RequestCost.start(IDLE_MS);
      Wrk.Result p = Wrk.run(bareUrl, script, 2, connections, seconds);
      RequestCost.PerRequest pCost = RequestCost.since(pStart, p.requests());
      if (r >= 0) {
        keep(busflow, r, b, bCost);
        keep(bare, r, p, pCost);
        ratios[r] = b.rps() / p.rps();
      }
      System.out.printf("  %2d record(s), round %s: busflow %,.0f req/s (p50 %.2f ms, p99 %.2f ms; %s)   bare %,.0f "
          + "req/s (p50 %.2f ms, p99 %.2f ms; %s)%n", size, r < 0 ? "warm-up" : Integer.toString(r + 1), b.rps(),
          b.p50Ms(), b.p99Ms(), bCost.describe(), p.rps(), p.p50Ms(), p.p99Ms(), pCost.describe());
    }
    return new JsonObject().put("busflow", medians(busflow)).put("bare", medians(bare))
        .put("ratio", Stats.median(ratios));
  }

  private static void keep(double[][] into, int round, Wrk.Result r, RequestCost.PerRequest cost) {
    into[0][round] = r.rps();
    into[1][round] = r.p50Ms();
    into[2][round] = r.p99Ms();
    into[3][round] = cost.cpuMicros();
    into[4][round] = cost.bytes();
  }

  private static JsonObject medians(double[][] v) {
    return new JsonObject().put("rps", Stats.median(v[0])).put("p50_ms", Stats.median(v[1]))
        .put("p99_ms", Stats.median(v[2])).put("cpu_us_per_request", Stats.median(v[3]))
        .put("bytes_per_request", Stats.median(v[4]));
  }

  private static String cost(JsonObject side) {
    return new RequestCost.PerRequest(side.getDouble("cpu_us_per_request"), side.getDouble("bytes_per_request"))
        .describe();
  }

  private static void report(Variant v, String model, JsonObject results, int rounds, int seconds, int connections)
      throws IOException {
    StringBuilder line = new StringBuilder(v.line());
    for (int size : SIZES) {
      JsonObject r = results.getJsonObject(Integer.toString(size));
      if (r == null) {
        continue;
      }
      double b = r.getJsonObject("busflow").getDouble("rps");
      double p = r.getJsonObject("bare").getDouble("rps");
      double ratio = r.getDouble("ratio");
      System.out.printf("median, %d record(s) per request: busflow %,.0f req/s (p99 %.2f ms), bare %,.0f req/s "
          + "(p99 %.2f ms), ratio %.2f (median of the rounds' ratios)%n", size, b, r.getJsonObject("busflow").getDouble("p99_ms"), p,
          r.getJsonObject("bare").getDouble("p99_ms"), ratio);
      System.out.printf(java.util.Locale.ROOT, "  per request (the JVM's CPU, bytes allocated): busflow %s, bare %s%n",
          cost(r.getJsonObject("busflow")), cost(r.getJsonObject("bare")));
      line.append(String.format(java.util.Locale.ROOT, " busflow_rps_%d=%.0f bare_rps_%d=%.0f ratio_%d=%.2f", size, b,
          size, p, size, ratio));
      if (size == 1) {
        line.append(String.format(java.util.Locale.ROOT, " p99_ms_1=%.2f",
            r.getJsonObject("busflow").getDouble("p99_ms")));
      }
    }
    Files.writeString(v.dir().resolveSibling(v.pipeline() + ".json"), new JsonObject().put("workload", "W2")
        .put("model", model).put("results", results)
        .put("rounds", rounds).put("seconds", seconds).put("wrk", "-t2 -c" + connections)
        .put("cores", Runtime.getRuntime().availableProcessors()).encodePrettily());
    System.out.println(line);
  }
}
