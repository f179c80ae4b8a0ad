package io.busflow.tracing;

import io.busflow.actor.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Vert.x's OpenTelemetry tracer, adding busflow's correlation id to the spans as {@value #ATTRIBUTE}: on
 * event-bus spans from the message's {@code bf-cid} header, on HTTP server spans from the
 * {@code X-Correlation-Id} response header (the bridge sets it on every response).
 *
 * <p>It also ends the client span of every event-bus request exactly once, when its reply arrives. Vert.x 5.1.6
 * ends it only if the request's write completed before the reply was dispatched: the span reaches the reply handler
 * in the write's completion callback, and on a cluster nothing orders that callback before a fast reply, so such a
 * span was never ended (never exported). Here an inbound interceptor, put on the event bus at the first traced
 * request, ends the span of the request a reply answers before the reply is dispatched; the reply handler's own
 * end, when it comes, finds it ended. A request with no reply ends as Vert.x ends it: on its timeout or failure.
 */
final class CorrelatedTracer<I, O> implements VertxTracer<I, Object> {

  /** The span attribute holding the correlation id. */
  static final String ATTRIBUTE = "busflow.correlation_id";
  /** The HTTP bridge's correlation header. */
  private static final String HTTP_HEADER = "X-Correlation-Id";

  private final VertxTracer<I, O> delegate;
  /** The client spans of requests waiting for their reply, by reply address (one tracer serves one Vert.x). */
  private final Map<String, Awaited<O>> awaiting = new ConcurrentHashMap<>();
  private final AtomicBoolean watching = new AtomicBoolean();

  private CorrelatedTracer(VertxTracer<I, O> delegate) {
    this.delegate = delegate;
  }

  @SuppressWarnings("unchecked")
  static CorrelatedTracer<Object, Object> around(OpenTelemetry openTelemetry, TracingOptions options) {
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
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
                                BiConsumer<String, String> headers, TagExtractor<R> tags) {
    O span = delegate.sendRequest(context, kind, policy, request, operation, headers, withCid(tags));
    if (span == null || !(request instanceof Message<?> m) || m.replyAddress() == null) {
      return span;
    }
    if (watching.compareAndSet(false, true)) {
      context.owner().eventBus().addInboundInterceptor(this::replied);
    }
    Awaited<O> awaited = new Awaited<>(m.replyAddress(), span);
    awaiting.put(awaited.replyAddress, awaited);
    return awaited;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
                                  TagExtractor<R> tags) {
    if (payload instanceof Awaited<?> awaited) {
      awaiting.remove(awaited.replyAddress);
      if (awaited.end()) {
        delegate.receiveResponse(context, response, (O) awaited.span, failure, tags);
      }
    } else {
      delegate.receiveResponse(context, response, (O) payload, failure, tags);
    }
  }

  /** The inbound interceptor: a reply ends its request's client span, before it is dispatched. */
  void replied(DeliveryContext<Object> delivery) {
    Awaited<O> awaited = awaiting.isEmpty() ? null : awaiting.remove(delivery.message().address());
    if (awaited != null && awaited.end()) {
      Object body = delivery.body();
      if (body instanceof ReplyException failure) {
        delegate.receiveResponse(Vertx.currentContext(), null, awaited.span, failure, TagExtractor.empty());
      } else {
        delegate.receiveResponse(Vertx.currentContext(), delivery.message(), awaited.span, null,
            TagExtractor.empty());
      }
    }
    delivery.next();
  }

  /** Requests waiting for their reply (for tests: none is left once every request was answered). */
  int awaiting() {
    return awaiting.size();
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

  /** A request's client span, ended by whichever of its reply and Vert.x's own end comes first. */
  private static final class Awaited<O> extends AtomicBoolean {
    final String replyAddress;
    final O span;

    Awaited(String replyAddress, O span) {
      this.replyAddress = replyAddress;
      this.span = span;
    }

    /** True the first time only. */
    boolean end() {
      return compareAndSet(false, true);
    }
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
