package io.busflow.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorRef;
import io.busflow.actor.Actors;
import io.busflow.actor.Headers;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.TracingConfig;
import io.busflow.testkit.FnActor;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracing on one node: when it is on, configured and by environment; off makes no tracer and no span; on,
 * an actor's asks — also for requests that waited in its mailbox, also the ask made after the first reply —
 * stay in the request's trace.
 */
@ExtendWith(VertxExtension.class)
class TracingTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private Vertx traced;

  @AfterEach
  void close() throws Exception {
    if (traced != null) {
      traced.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void wanted_offByDefault_onByConfigOrOtelVariables_offWhenTheSdkIsDisabled() {
    TracingConfig off = TracingConfig.defaults();
    TracingConfig on = new TracingConfig(true, "busflow");
    assertFalse(Tracing.wanted(off, Map.of()));
    assertFalse(Tracing.wanted(off, Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_SERVICE_NAME", "x")));
    assertTrue(Tracing.wanted(on, Map.of()));
    assertTrue(Tracing.wanted(off, Map.of("OTEL_TRACES_EXPORTER", "otlp")));
    assertTrue(Tracing.wanted(off, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
    assertFalse(Tracing.wanted(on, Map.of("OTEL_SDK_DISABLED", "true")));
  }

  @Test
  void config_badKeyOrValue_failsNamingThePath() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> TracingConfig.of(new JsonObject().put("tracing", new JsonObject().put("enabled", "yes"))));
    assertEquals("tracing.enabled", e.path());
    e = assertThrows(ConfigException.class,
        () -> TracingConfig.of(new JsonObject().put("tracing", new JsonObject().put("enbled", true))));
    assertEquals("tracing.enbled", e.path());
    assertTrue(TracingConfig.of(new JsonObject().put("tracing", new JsonObject().put("enabled", true))).enabled());
  }

  @Test
  void off_buildsNoTracer_andOn_buildsOne() throws Exception {
    Vertx plain = Tracing.apply(Vertx.builder(), TracingConfig.defaults(), Map.of()).build();
    try {
      assertNull(((VertxInternal) plain).tracer());
    } finally {
      plain.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertTrue(Tracing.start(TracingConfig.defaults(), Map.of()).isEmpty());
    // on by configuration, exporting nowhere (OTEL_TRACES_EXPORTER=none): a tracer, no export attempts
    traced = Tracing.apply(Vertx.builder(), new TracingConfig(true, "busflow-test"),
        Map.of("OTEL_TRACES_EXPORTER", "none")).build();
    assertNotNull(((VertxInternal) traced).tracer());
  }

  @Test
  void grpcProtocol_failsNamingWhatIsBundled() {
    ConfigException e = assertThrows(ConfigException.class, () -> Tracing.start(new TracingConfig(true, "busflow"),
        Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));
    assertEquals("tracing", e.path());
    assertTrue(e.getMessage().contains("http/protobuf"), e.getMessage());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void off_anAskMakesNoSpan(VertxTestContext ctx) {
    Vertx plain = Vertx.vertx();
    deployChain(plain)
        .compose(v -> plain.eventBus().request("t.a", "x", rootOptions("off-1")))
        .eventually(plain::close)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertTrue(exporter.getFinishedSpanItems().isEmpty());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void on_everyAskOfAnActor_queuedRequestsToo_staysInTheRequestsTrace(VertxTestContext ctx) {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    traced = Tracing.withTracer(Vertx.builder(), sdk).build();
    int requests = 4;
    deployChain(traced)
        .compose(v -> {
          List<Future<Object>> all = new ArrayList<>();
          for (int i = 0; i < requests; i++) {
            // sent at once: all but the first wait in t.a's mailbox
            all.add(traced.eventBus().request("t.a", "x", rootOptions("req-" + i)).map(m -> m.body()));
          }
          return Future.all(all);
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertChains(requests);
          assertEquals(0, ((CorrelatedTracer<?, ?>) ((VertxInternal) traced).tracer()).awaiting(),
              "requests still awaiting their reply");
          ctx.completeNow();
        })));
  }

  /**
   * The order Vert.x 5.1.6 cannot handle, which a cluster makes now and then: the reply is dispatched before the
   * request's write completed, so the reply handler never ends the client span. The interceptor ends it, and
   * Vert.x's own end, in the usual order, does not end it twice.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aReplyDispatchedBeforeItsRequestsWriteCompleted_endsTheClientSpan_once(VertxTestContext ctx) {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    CorrelatedTracer<Object, Object> tracer = CorrelatedTracer.around(sdk, new TracingOptions());
    Vertx plain = Vertx.vertx();
    Context context = plain.getOrCreateContext();
    context.runOnContext(v -> ctx.verify(() -> {
      // reply first: the interceptor ends the span; Vert.x's end never comes
      Object first = tracer.sendRequest(context, io.vertx.core.spi.tracing.SpanKind.RPC, TracingPolicy.ALWAYS,
          new FakeMessage("t.a", "__vertx.reply.1", "x"), "send", (k, val) -> { }, TagExtractor.empty());
      List<Boolean> passedOn = new ArrayList<>();
      tracer.replied(delivery(new FakeMessage("__vertx.reply.1", null, "answer"), passedOn));
      assertEquals(List.of(true), passedOn, "the reply goes on to its handler");
      assertEquals(1, exporter.getFinishedSpanItems().size(), "the client span ended at the reply");
      tracer.receiveResponse(context, null, first, null, TagExtractor.empty());
      assertEquals(1, exporter.getFinishedSpanItems().size(), "not ended twice");
      // the usual order: Vert.x ends it, and the reply that follows finds it ended
      Object second = tracer.sendRequest(context, io.vertx.core.spi.tracing.SpanKind.RPC, TracingPolicy.ALWAYS,
          new FakeMessage("t.a", "__vertx.reply.2", "x"), "send", (k, val) -> { }, TagExtractor.empty());
      tracer.receiveResponse(context, null, second, null, TagExtractor.empty());
      tracer.replied(delivery(new FakeMessage("__vertx.reply.2", null, "answer"), passedOn));
      assertEquals(2, exporter.getFinishedSpanItems().size());
      // a failure reply ends its span with the failure recorded
      tracer.sendRequest(context, io.vertx.core.spi.tracing.SpanKind.RPC, TracingPolicy.ALWAYS,
          new FakeMessage("t.a", "__vertx.reply.3", "x"), "send", (k, val) -> { }, TagExtractor.empty());
      tracer.replied(delivery(new FakeMessage("__vertx.reply.3", null,
          new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "boom")), passedOn));
      assertEquals(3, exporter.getFinishedSpanItems().size());
      assertEquals(1, exporter.getFinishedSpanItems().get(2).getEvents().size(), "the failure is recorded");
      assertEquals(0, tracer.awaiting());
      assertTrue(exporter.getFinishedSpanItems().stream().allMatch(s -> s.getKind() == SpanKind.CLIENT));
      plain.close().onComplete(ctx.succeedingThenComplete());
    }));
  }

  private static DeliveryContext<Object> delivery(Message<Object> message, List<Boolean> passedOn) {
    return new DeliveryContext<>() {
      @Override
      public Message<Object> message() {
        return message;
      }

      @Override
      public void next() {
        passedOn.add(true);
      }

      @Override
      public boolean send() {
        return true;
      }

      @Override
      public Object body() {
        return message.body();
      }
    };
  }

  /** Just what the tracer reads of a message. */
  private record FakeMessage(String address, String replyAddress, Object body) implements Message<Object> {
    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public boolean isSend() {
      return true;
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      throw new UnsupportedOperationException();
    }
  }

  /** Per trace: the test's send, then t.a receiving it and asking t.b, then (after t.b answered) t.c. */
  private void assertChains(int requests) {
    Map<String, List<SpanData>> traces = exporter.getFinishedSpanItems().stream()
        .collect(Collectors.groupingBy(SpanData::getTraceId));
    String dump = exporter.getFinishedSpanItems().stream().map(s -> s.getTraceId().substring(0, 6) + " " + s.getKind()
        + " " + s.getSpanId() + "<-" + s.getParentSpanId() + " " + s.getAttributes().asMap())
        .collect(Collectors.joining("\n"));
    assertEquals(requests, traces.size(), dump);
    for (List<SpanData> trace : traces.values()) {
      Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      assertEquals(1, trace.stream().filter(s -> !ids.contains(s.getParentSpanId())).count(), "one root:\n" + dump);
      Set<String> received = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER)
          .map(s -> s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(
              "messaging.destination.name"))).collect(Collectors.toSet());
      assertEquals(Set.of("t.a", "t.b", "t.c"), received, dump);
      assertTrue(trace.stream().allMatch(s -> s.getAttributes().get(io.opentelemetry.api.common.AttributeKey
          .stringKey(CorrelatedTracer.ATTRIBUTE)) != null), "a correlation id on every span:\n" + dump);
    }
  }

  /** t.a asks t.b, then t.c, then answers; t.b and t.c answer after a short delay. */
  private static Future<Void> deployChain(Vertx vertx) {
    return Future.all(
        deploy(vertx, "t.b", m -> delayed(vertx)),
        deploy(vertx, "t.c", m -> delayed(vertx)),
        Actors.deploy(vertx, ActorConfig.defaults("a", "t.a"), () -> new FnActor("t.a", (self, m) ->
            ActorRef.of(vertx, "t.b").ask(m).compose(r -> ActorRef.of(vertx, "t.c").ask(r))))).mapEmpty();
  }

  private static Future<?> deploy(Vertx vertx, String address, java.util.function.Function<Object, Future<?>> fn) {
    return Actors.deploy(vertx, ActorConfig.defaults(address, address), () -> new FnActor(address, fn));
  }

  private static Future<String> delayed(Vertx vertx) {
    return vertx.timer(20, TimeUnit.MILLISECONDS).map(t -> "done");
  }

  private static DeliveryOptions rootOptions(String cid) {
    return new DeliveryOptions().setTracingPolicy(TracingPolicy.ALWAYS).addHeader(Headers.CORRELATION_ID, cid);
  }
}
