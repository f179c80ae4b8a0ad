package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.serving.PredictionService;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.busflow.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace for a predict request on a two-member cluster: the HTTP server span on the bridge's member, the
 * event-bus sends from there and their receipt by the preprocessor and model on the other member, every span's
 * parent in the trace, and busflow's correlation id on every span. Each member exports into its own in-memory
 * exporter, so a span's member is known.
 */
@ExtendWith(VertxExtension.class)
class ClusteredTracingTest {

  private static final Path DATA = Path.of("data").toAbsolutePath();
  private static final AttributeKey<String> CID = AttributeKey.stringKey("busflow.correlation_id");
  private static final String REQUEST_CID = "trace-test-1";

  @TempDir
  static Path dir;
  private static List<Vertx> nodes;
  private static final InMemorySpanExporter STAGES = InMemorySpanExporter.create();
  private static final InMemorySpanExporter BRIDGE = InMemorySpanExporter.create();

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestCluster.start(List.of(traced(STAGES), traced(BRIDGE)))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.stopNow(nodes);
  }

  private static UnaryOperator<VertxBuilder> traced(InMemorySpanExporter exporter) {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    return builder -> Tracing.withTracer(builder, sdk);
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void predict_isOneTraceFromTheHttpRequestThroughTheStagesOnTheOtherMember(VertxTestContext ctx) throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.createDirectories(dir.resolve("out"));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf", "pipelines", "churn-demo.json")));
    demo.remove("report");
    Files.writeString(pipelines.resolve("churn-demo.json"), demo.encode());
    JsonObject options = new JsonObject().put("dataRoots", new JsonArray().add(DATA.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())).put("pipelines", pipelines.toString());
    Vertx stagesNode = nodes.get(0);
    Vertx httpNode = nodes.get(1);
    HttpBridge bridge = new HttpBridge(HttpConfig.read(new JsonObject().put("enabled", true).put("port", 0)), List.of(),
        List.of(new PredictApi(new PredictionService(httpNode, pipelines.toString(),
            new DataRoots("roots", List.of(dir.resolve("out"), DATA)), Duration.ofSeconds(1)))));
    List<JsonObject> rows = PredictApiTest.csvRecords(DATA.resolve("churn-new.csv"), 20);
    Stages stages = new Stages();
    stages.deployStages(stagesNode, options)
        .compose(v -> stages.deployCoordinator(stagesNode, options))
        .compose(v -> PipelineClient.run(httpNode, new PipelineProtocol.Run("churn-demo", null, null, new JsonObject()),
            p -> { }))
        .compose(r -> httpNode.deployVerticle(bridge))
        .compose(id -> {
          STAGES.reset();
          BRIDGE.reset();
          return WebClient.create(httpNode).post(bridge.actualPort(), "127.0.0.1", "/api/v1/pipelines/churn-demo/predict")
              .putHeader("X-Correlation-Id", REQUEST_CID)
              .sendJsonObject(new JsonObject().put("records", new JsonArray(new ArrayList<>(rows))));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode(), r.bodyAsString()));
          return serverSpan(httpNode, 50);
        })
        .compose(server -> whole(httpNode, server, 50))
        .onComplete(ctx.succeeding(server -> ctx.verify(() -> {
          assertTrace(server);
          ctx.completeNow();
        })));
  }

  /** The HTTP server span, once it has ended (just after the response was written). */
  private static Future<SpanData> serverSpan(Vertx vertx, int attempts) {
    List<SpanData> servers = BRIDGE.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.SERVER && !s.getParentSpanContext().isValid()).toList();
    if (!servers.isEmpty() || attempts == 0) {
      return servers.isEmpty() ? Future.failedFuture(new AssertionError("no HTTP server span: " + BRIDGE
          .getFinishedSpanItems())) : Future.succeededFuture(servers.get(0));
    }
    Promise<SpanData> next = Promise.promise();
    vertx.setTimer(100, t -> serverSpan(vertx, attempts - 1).onComplete(next));
    return next.future();
  }

  /**
   * {@code server} once every span of its trace has its parent among them, looked at up to {@code attempts} times
   * 100 ms apart, then the trace as it is, for {@link #assertTrace} to judge: a span is exported only when it ends,
   * on the thread that ends it. (Runs of this test found a client span missing, about one in ten: Vert.x 5.1.6 ends
   * a request's client span only if the request's write completed before its reply was dispatched; busflow's
   * tracer now ends it when the reply arrives — see TracingTest.)
   */
  private static Future<SpanData> whole(Vertx vertx, SpanData server, int attempts) {
    List<SpanData> all = new ArrayList<>(inTrace(BRIDGE, server.getTraceId()));
    all.addAll(inTrace(STAGES, server.getTraceId()));
    Set<String> ids = all.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    boolean whole = all.stream().allMatch(s -> s == server || ids.contains(s.getParentSpanId()));
    if (whole || attempts == 0) {
      return Future.succeededFuture(server);
    }
    Promise<SpanData> next = Promise.promise();
    vertx.setTimer(100, t -> whole(vertx, server, attempts - 1).onComplete(next));
    return next.future();
  }

  private static void assertTrace(SpanData server) {
    String trace = server.getTraceId();
    List<SpanData> bridgeSpans = inTrace(BRIDGE, trace);
    List<SpanData> stageSpans = inTrace(STAGES, trace);
    List<SpanData> all = new ArrayList<>(bridgeSpans);
    all.addAll(stageSpans);
    String dump = all.stream().map(ClusteredTracingTest::describe).collect(Collectors.joining("\n"));
    Map<String, SpanData> byId = all.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));

    assertEquals(REQUEST_CID, server.getAttributes().get(CID), dump);
    for (SpanData s : all) {
      if (s != server) {
        assertTrue(byId.containsKey(s.getParentSpanId()), "parent of " + describe(s) + " is not in the trace:\n" + dump);
      }
      assertTrue(s.getAttributes().get(CID) != null, "no correlation id on " + describe(s) + "\n" + dump);
    }
    // the event-bus sends leave the bridge's member and are received on the other one, where the stages' own
    // asks (preprocessor to model) continue the trace
    assertTrue(stageSpans.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER
        && bridgeSpans.stream().anyMatch(b -> b.getKind() == SpanKind.CLIENT && b.getSpanId().equals(s.getParentSpanId()))),
        "no receipt on the stages' member of a send from the bridge's member:\n" + dump);
    Set<String> received = stageSpans.stream().filter(s -> s.getKind() == SpanKind.SERVER)
        .filter(s -> REQUEST_CID.equals(s.getAttributes().get(CID)))
        .map(ClusteredTracingTest::address).collect(Collectors.toSet());
    assertTrue(received.containsAll(Set.of(StageProtocol.PREPROCESS_ADDRESS, StageProtocol.MODEL_ADDRESS)),
        "stage receipts of the request, by address: " + received + "\n" + dump);
  }

  private static List<SpanData> inTrace(InMemorySpanExporter exporter, String trace) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
  }

  private static String address(SpanData s) {
    String a = s.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"));
    return a != null ? a : s.getAttributes().get(AttributeKey.stringKey("message_bus.destination"));
  }

  private static String describe(SpanData s) {
    return s.getKind() + " " + s.getName() + " " + s.getSpanId() + "<-" + s.getParentSpanId() + " "
        + s.getAttributes().asMap();
  }
}
