package io.busflow.tracing;

import io.busflow.actor.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Vert.x's OpenTelemetry tracer, adding busflow's correlation id to the spans as {@value #ATTRIBUTE}: on
 * event-bus spans from the message's {@code bf-cid} header, on HTTP server spans from the
 * {@code X-Correlation-Id} response header (the bridge sets it on every response).
 */
final class CorrelatedTracer<I, O> implements VertxTracer<I, O> {

  /** The span attribute holding the correlation id. */
  static final String ATTRIBUTE = "busflow.correlation_id";
  /** The HTTP bridge's correlation header. */
  private static final String HTTP_HEADER = "X-Correlation-Id";

  private final VertxTracer<I, O> delegate;

  private CorrelatedTracer(VertxTracer<I, O> delegate) {
    this.delegate = delegate;
  }

  @SuppressWarnings("unchecked")
  static VertxTracer<Object, Object> around(OpenTelemetry openTelemetry, TracingOptions options) {
    return new CorrelatedTracer<>((VertxTracer<Object, Object>) new OpenTelemetryTracingFactory(openTelemetry)
        .tracer(options));
  }

  @Override
  public <R> I receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                              Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
    return delegate.receiveRequest(context, kind, policy, request, operation, headers, withCid(tags));
  }

  @Override
  public <R> void sendResponse(Context context, R response, I payload, Throwable failure, TagExtractor<R> tags) {
    delegate.sendResponse(context, response, payload, failure, withCid(tags));
  }

  @Override
  public <R> O sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                           BiConsumer<String, String> headers, TagExtractor<R> tags) {
    return delegate.sendRequest(context, kind, policy, request, operation, headers, withCid(tags));
  }

  @Override
  public <R> void receiveResponse(Context context, R response, O payload, Throwable failure, TagExtractor<R> tags) {
    delegate.receiveResponse(context, response, payload, failure, tags);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static <R> TagExtractor<R> withCid(TagExtractor<R> tags) {
    return new TagExtractor<>() {
      @Override
      public int len(R obj) {
        return tags.len(obj) + (cid(obj) == null ? 0 : 1);
      }

      @Override
      public String name(R obj, int index) {
        return index < tags.len(obj) ? tags.name(obj, index) : ATTRIBUTE;
      }

      @Override
      public String value(R obj, int index) {
        return index < tags.len(obj) ? tags.value(obj, index) : cid(obj);
      }
    };
  }

  /** The correlation id a message or a bridge response carries; null for anything else. */
  static String cid(Object obj) {
    if (obj instanceof Message<?> m) {
      return m.headers().get(Headers.CORRELATION_ID);
    }
    if (obj instanceof HttpResponse r) {
      return r.headers().get(HTTP_HEADER);
    }
    return null;
  }
}
