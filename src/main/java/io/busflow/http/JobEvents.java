package io.busflow.http;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /api/v1/jobs/{id}/events} stream: a job's progress as Server-Sent Events until it ends, then
 * its report, then the end of the stream.
 *
 * <pre>
 * id: 1
 * event: progress
 * data: {"job":"…","state":"running","phase":"fit model","rowsDone":…,"rowsTotal":…,"rowsPerSecond":…,…}
 *
 * id: final
 * event: report
 * data: {"job":"…","state":"succeeded",…,"metrics":{…},"links":{…}}
 * </pre>
 *
 * <p>It subscribes to the job's progress address before it asks for the job's status, so a job that ends in
 * between is never missed: a job that has ended already gets its report at once. Progress events are in
 * order (one older than the last sent is dropped, as is one a slow client has no room for); the report is
 * always sent. Every {@code heartbeatMs} a comment line keeps proxies from cutting the idle stream, and the
 * status is asked again, so a report lost on the way (a node leaving the cluster) still ends the stream; a job
 * the coordinator no longer knows ends it with an {@code error} event whose data is an RFC 9457 problem, as
 * error responses are ({@code {"type","title","status","detail","instance","code","correlationId"}}). A client that disconnects, or the server shutting down, ends the subscription and the
 * timer. A client reconnecting with {@code Last-Event-ID: final} gets 204, which stops {@code EventSource}. Past the
 * node's {@code http.limits.eventStreams} open streams a new one gets 503 MAILBOX_FULL at once.
 * Confined to the request's event loop.
 */
final class JobEvents {

  private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
  /** Default time between heartbeats and status checks. */
  static final long HEARTBEAT_MS = 10_000;
  /** The event id of the report, the last event of a stream. */
  static final String FINAL_ID = "final";
  private static final long RETRY_MS = 3_000;
  private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

  private final RoutingContext ctx;
  private final ApiSupport support;
  private final String job;
  private final long heartbeatMs;
  private final AtomicInteger openStreams;
  private final List<JsonObject> early = new ArrayList<>();
  private MessageConsumer<Object> consumer;
  private boolean streaming;
  private boolean stopping;
  private boolean closed;
  private long timer = -1;
  private long seq;
  private long lastElapsedMs = -1;

  JobEvents(RoutingContext ctx, ApiSupport support, String job, long heartbeatMs, AtomicInteger openStreams) {
    this.ctx = ctx;
    this.support = support;
    this.job = job;
    this.heartbeatMs = heartbeatMs;
    this.openStreams = openStreams;
  }

  /** Subscribes, asks for the status, and answers: a stream, the report at once, or an error response. */
  void open() {
    if (FINAL_ID.equals(ctx.request().getHeader("Last-Event-ID"))) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    support.admission().takeEventStream();
    openStreams.incrementAndGet();
    ctx.response().closeHandler(v -> close());
    ctx.request().connection().shutdownHandler(v -> shutdown());
    consumer = ctx.vertx().eventBus().consumer(PipelineProtocol.progressAddress(job), this::onMessage);
    consumer.completion()
        .compose(v -> JobRoutes.askAbout(ctx, support, job, JobRoutes.statusRequest(job)))
        .onSuccess(status -> safely(() -> begin(status)))
        .onFailure(this::refuse);
  }

  /** Runs {@code step}; a bug in it ends the stream (or answers 500) instead of leaving it hanging. */
  private void safely(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (!streaming) {
        refuse(e); // the error mapper logs it and answers 500
        return;
      }
      LOG.error("the event stream of job '{}' failed (correlation id {})", job, support.correlationId(ctx), e);
      endStream();
    }
  }

  private void onMessage(Message<Object> m) {
    if (!(m.body() instanceof JsonObject j)) {
      return;
    }
    if (streaming) {
      safely(() -> deliver(j));
    } else {
      early.add(j);
    }
  }

  private void begin(JsonObject status) {
    if (closed) {
      return;
    }
    streaming = true;
    ctx.response().setStatusCode(200).setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .write("retry: " + RETRY_MS + "\n\n");
    deliver(status);
    early.forEach(this::deliver);
    early.clear();
    if (stopping) {
      endStream();
    } else if (!closed) {
      timer = ctx.vertx().setPeriodic(heartbeatMs, id -> heartbeat());
    }
  }

  /** The server is shutting down: end the stream now (the client may reconnect elsewhere) or once it begins. */
  private void shutdown() {
    stopping = true;
    if (streaming) {
      endStream();
    }
  }

  private void refuse(Throwable t) {
    close();
    support.fail(ctx, t);
  }

  private void deliver(JsonObject message) {
    if (closed) {
      return;
    }
    if (message.getValue("state") instanceof String state && ENDED.contains(state)) {
      send(FINAL_ID, "report", JobRoutes.view(message));
      endStream();
      return;
    }
    long elapsed = message.getLong("elapsedMs", 0L);
    if (elapsed >= lastElapsedMs && !ctx.response().writeQueueFull()) {
      lastElapsedMs = elapsed;
      send(Long.toString(++seq), "progress", message);
    }
  }

  private void heartbeat() {
    if (closed) {
      return;
    }
    ctx.response().write(": keep-alive\n\n");
    ActorRef.of(ctx.vertx(), PipelineProtocol.ADDRESS).withCorrelationId(support.correlationId(ctx))
        .<JsonObject>ask(JobRoutes.statusRequest(job), Duration.ofMillis(heartbeatMs))
        .onSuccess(status -> safely(() -> deliver(status)))
        .onFailure(this::lost);
  }

  /** A job the coordinator forgot, or a coordinator gone, ends the stream; a slow answer does not. */
  private void lost(Throwable t) {
    ActorException e = ActorException.of(t, PipelineProtocol.ADDRESS);
    if (closed || (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.NO_ACTOR)) {
      return;
    }
    HttpErrors.HttpError error = new HttpErrors.HttpError(HttpErrors.status(e.code()), e.code(),
        "job '" + job + "' was lost: " + e.getMessage());
    send("error", "error", HttpErrors.problem(ctx, error));
    endStream();
  }

  private void send(String id, String event, JsonObject data) {
    ctx.response().write("id: " + id + "\nevent: " + event + "\ndata: " + data.encode() + "\n\n");
  }

  private void endStream() {
    HttpServerResponse resp = ctx.response();
    close();
    if (!resp.ended() && !resp.closed() && resp.headWritten()) {
      resp.end();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    openStreams.decrementAndGet();
    support.admission().giveEventStream();
    ctx.vertx().cancelTimer(timer);
    consumer.unregister();
  }
}
