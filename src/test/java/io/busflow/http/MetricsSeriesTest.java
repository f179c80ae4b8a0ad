package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.testkit.ChurnData;
import io.busflow.testkit.Stages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} over many jobs: the series of a job's temporary actors (cursors, fit sessions) go with
 * them, so the number of series stays flat; jobs are counted and timed; HTTP series carry the route and
 * buckets; every name follows Prometheus' conventions.
 */
@ExtendWith(VertxExtension.class)
class MetricsSeriesTest {

  private static final int JOBS = 100;
  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern NON_BASE_UNIT = Pattern.compile(
      ".*_(ms|millis|milliseconds|micros|microseconds|nanos|nanoseconds|minutes|hours|days|kb|mb|gb|kilobytes"
      + "|megabytes|gigabytes|percent)(_total|_bucket|_count|_sum|_max)?$");

  @TempDir
  Path dir;
  private Vertx withMetrics;

  @AfterEach
  void close() throws Exception {
    if (withMetrics != null) {
      withMetrics.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private Future<Void> deploy(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("train.csv"), 600, 7, null);
    ChurnData.write(dir.resolve("new.csv"), 200, 8, null);
    Stages stages = new Stages();
    JsonObject options = Stages.options(dir);
    return stages.deployStages(vertx, options).compose(v -> stages.deployCoordinator(vertx, options));
  }

  private static JsonObject definition() {
    return new JsonObject().put("name", "tiny").put("mode", "train-then-score").put("source", "train.csv")
        .put("label", "churned").put("id", "customer_id").put("split", new JsonObject().put("test", 0.25))
        .put("preprocessing", new JsonObject().put("steps", new JsonArray()
            .add(new JsonObject().put("impute", new JsonObject().put("strategy", "median")
                .put("columns", new JsonArray().add("age").add("income"))))
            .add(new JsonObject().put("onehot", new JsonObject().put("columns", new JsonArray().add("country"))))))
        .put("model", new JsonObject().put("type", "logistic"))
        .put("score", new JsonObject().put("source", "new.csv"))
        .put("output", new JsonObject().put("path", "tiny-predictions.csv"))
        .put("batchSize", 100);
  }

  private static Future<JsonObject> job(Vertx vertx) {
    Promise<JsonObject> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> PipelineClient.run(vertx,
        new PipelineProtocol.Run(null, definition(), null, new JsonObject()), x -> { }).onComplete(p));
    return p.future();
  }

  private static Future<Void> jobs(Vertx vertx, int n) {
    Future<JsonObject> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(prev -> job(vertx)).map(r -> {
        assertEquals("succeeded", r.getString("state"), r.encodePrettily());
        return r;
      });
    }
    return chain.mapEmpty();
  }

  /** busflow's and Vert.x's series (the JVM's come and go with the garbage collector's activity). */
  private static Set<String> series(Vertx vertx) {
    Set<String> out = new TreeSet<>();
    for (PrometheusText.Sample s : PrometheusText.parse(PrometheusMetrics.of(vertx).scrape()).samples()) {
      if (s.name().startsWith("busflow_") || s.name().startsWith("vertx_")) {
        out.add(s.name() + s.labels());
      }
    }
    return out;
  }

  @Test
  @Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
  void seriesCount_afterManyJobs_equalsTheCountAfterOne(VertxTestContext ctx) throws Exception {
    withMetrics = MetricsTest.vertxWithMetrics();
    PrometheusMetrics.of(withMetrics);
    List<Set<String>> counts = new ArrayList<>();
    deploy(withMetrics)
        .compose(v -> jobs(withMetrics, 1)).map(v -> counts.add(series(withMetrics)))
        .compose(v -> jobs(withMetrics, JOBS - 1)).map(v -> counts.add(series(withMetrics)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          Set<String> added = new TreeSet<>(counts.get(1));
          added.removeAll(counts.get(0));
          assertEquals(counts.get(0).size(), counts.get(1).size(), "series after 1 job vs after " + JOBS
              + "; new ones: " + added);
          PrometheusText p = PrometheusText.parse(PrometheusMetrics.of(withMetrics).scrape());
          Map<String, String> tiny = Map.of("pipeline", "tiny", "mode", "train-then-score", "state", "succeeded");
          assertEquals(JOBS, p.value("busflow_jobs_total", tiny));
          assertEquals(JOBS, p.value("busflow_job_duration_seconds_count", tiny));
          assertEquals("histogram", p.types().get("busflow_job_duration_seconds"));
          assertTrue(p.value("busflow_job_rows_total", Map.of("pipeline", "tiny")) >= JOBS * 800.0);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void httpSeries_carryTheRouteAndBuckets_andEveryNameFollowsPrometheusConventions(VertxTestContext ctx)
      throws Exception {
    withMetrics = MetricsTest.vertxWithMetrics();
    JsonObject http = new JsonObject().put("bus", new JsonObject().put("addresses", new JsonArray().add("test.echo")));
    WebClient client = WebClient.create(withMetrics);
    deploy(withMetrics)
        .compose(v -> jobs(withMetrics, 1))
        .compose(v -> Bridges.actor(withMetrics, Bridges.config("echo", "test.echo"), Future::succeededFuture))
        .compose(v -> Bridges.start(withMetrics, http, List.of()))
        .compose(port -> client.post(port, "127.0.0.1", "/api/v1/bus/test.echo").sendJsonObject(new JsonObject())
            .compose(r -> client.get(port, "127.0.0.1", "/metrics").send()))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          PrometheusText p = PrometheusText.parse(r.bodyAsString());
          List<PrometheusText.Sample> buckets = p.find("vertx_http_server_response_time_seconds_bucket",
              Map.of("route", "/api/v1/bus/:address"));
          assertTrue(buckets.size() > 5, "route-labelled buckets: " + buckets + " among "
              + p.find("vertx_http_server_response_time_seconds_bucket", Map.of()).stream().limit(3).toList());
          assertConventions(p);
          ctx.completeNow();
        })));
  }

  /** snake_case names; counters end in _total; no units but base units (seconds, bytes). */
  static void assertConventions(PrometheusText p) {
    List<String> wrong = new ArrayList<>();
    p.types().forEach((family, type) -> {
      if (!SNAKE.matcher(family).matches()) {
        wrong.add(family + ": not snake_case");
      }
      if (type.equals("counter") && !family.endsWith("_total")) {
        wrong.add(family + ": a counter without _total");
      }
      if (!type.equals("counter") && family.endsWith("_total")) {
        wrong.add(family + ": a " + type + " named like a counter");
      }
      if (NON_BASE_UNIT.matcher(family).matches()) {
        wrong.add(family + ": not in a base unit (seconds, bytes)");
      }
    });
    for (PrometheusText.Sample s : p.samples()) {
      s.labels().keySet().stream().filter(l -> !SNAKE.matcher(l).matches())
          .forEach(l -> wrong.add(s.name() + ": label '" + l + "' not snake_case"));
    }
    assertTrue(wrong.isEmpty(), String.join("\n", new TreeSet<>(wrong)));
  }
}
