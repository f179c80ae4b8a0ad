package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's admission counters, shared by every HTTP verticle instance of one Vert.x instance (a
 * {@link io.vertx.core.shareddata.LocalMap} entry): open connections, bytes of request bodies in flight, predict
 * requests and records being predicted. A request takes its share before the work starts and gives it back when its
 * response ends (or its connection closes); past the limit it gets 503 MAILBOX_FULL with {@code Retry-After} at once.
 */
final class Admission implements Shareable {

  private static final String MAP = "busflow.http.admission";
  /** How long a connection past {@code http.limits.connections} may stay open without sending a request. */
  static final long OVER_LIMIT_GRACE_MS = 1000;
  /** How long such a connection may take to receive the answer to the request it sent, before it is cut. */
  static final Duration OVER_LIMIT_ANSWER_TIME = Duration.ofSeconds(5);

  private final HttpConfig.Limits limits;
  private final AtomicLong bodyBytes = new AtomicLong();
  private final AtomicLong predictRows = new AtomicLong();
  private final AtomicLong predictRequests = new AtomicLong();
  private final AtomicLong shedBeforeRouting = new AtomicLong();
  private final AtomicLong eventStreams = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong connectionsRefused = new AtomicLong();
  private final Set<HttpConnection> overLimit = ConcurrentHashMap.newKeySet();
  private final HttpFailure connectionsFull;
  private final StandingQueue predictQueue;
  /** The refusal at the hard bound: its text depends on the limits only, so it is made once. */
  private final HttpFailure requestsFull;
  /** The last refusal made while the queue stood, with the limit its text names (it changes once an interval). */
  private volatile Queued queued = new Queued(-1, null);

  private record Queued(long limit, HttpFailure failure) {}

  private Admission(HttpConfig.Limits limits) {
    this.limits = limits;
    this.connectionsFull = new HttpFailure(503, ErrorCode.MAILBOX_FULL, "this node has " + limits.connections()
        + " HTTP connections open, its limit (http.limits.connections), and closes this one; retry on a new "
        + "connection after the Retry-After delay, keep connections alive and reuse them instead of opening many, "
        + "or raise http.limits.connections");
    this.requestsFull = full(limits.predictRequestsInFlight(), "predict requests", "http.limits.predictRequestsInFlight");
    this.predictQueue = new StandingQueue(TimeUnit.MILLISECONDS.toNanos(limits.predictQueueTargetMs()),
        TimeUnit.MILLISECONDS.toNanos(limits.predictQueueIntervalMs()), limits.predictRequestsInFlight(),
        Math.max(1, limits.predictRequestsInFlight() / 8), System.nanoTime());
  }

  /** The node's counters (made by the first HTTP verticle with its limits). */
  static Admission of(Vertx vertx, HttpConfig config) {
    return vertx.sharedData().<String, Admission>getLocalMap(MAP)
        .computeIfAbsent("node", k -> new Admission(config.limits()));
  }

  /**
   * Counts {@code conn}, just accepted by one of the node's HTTP servers, until it closes. A connection past {@code
   * http.limits.connections} is over the limit: its first request gets {@link #connectionRefusal} and the connection
   * is closed once the answer is written, or after {@value #OVER_LIMIT_GRACE_MS} ms when no request comes (a graceful
   * shutdown: an answer being written gets {@link #OVER_LIMIT_ANSWER_TIME}). Called on the connection's event loop.
   */
  void connectionOpened(Vertx vertx, HttpConnection conn) {
    long timer = -1;
    if (connections.incrementAndGet() > limits.connections()) {
      overLimit.add(conn);
      connectionsRefused.incrementAndGet();
      timer = vertx.setTimer(OVER_LIMIT_GRACE_MS, t -> conn.shutdown(OVER_LIMIT_ANSWER_TIME));
    }
    long graceTimer = timer;
    Runnable closed = () -> {
      connections.decrementAndGet();
      if (overLimit.remove(conn)) {
        vertx.cancelTimer(graceTimer);
      }
    };
    // the channel's end, not conn.closeHandler: a connection upgraded to a WebSocket (the bridge's) gets a new
    // handler on its channel, and the old connection's close handler is never called (Vert.x 5.1)
    if (conn instanceof ConnectionBase base) {
      base.channel().closeFuture().addListener(f -> closed.run());
    } else {
      conn.closeHandler(v -> closed.run());
    }
  }

  /** The 503 for a request on {@code conn} when the connection is past {@code http.limits.connections}, else null. */
  HttpFailure connectionRefusal(HttpConnection conn) {
    return overLimit.isEmpty() || !overLimit.contains(conn) ? null : connectionsFull;
  }

  /** HTTP connections open now. */
  long connections() {
    return connections.get();
  }

  /** Connections accepted past {@code http.limits.connections} since the node started. */
  long connectionsRefused() {
    return connectionsRefused.get();
  }

  /** Bytes of request bodies in flight now. */
  long bodyBytes() {
    return bodyBytes.get();
  }

  /** Records being predicted now. */
  long predictRows() {
    return predictRows.get();
  }

  /** Takes {@code n} more body bytes; false (and nothing taken) past {@code http.limits.bodyBytesInFlight}. */
  boolean tryTakeBodyBytes(long n) {
    return tryTake(bodyBytes, n, limits.bodyBytesInFlight());
  }

  /** Gives back {@code n} body bytes. */
  void releaseBodyBytes(long n) {
    bodyBytes.addAndGet(-n);
  }

  /** The failure of a body not admitted. */
  HttpFailure bodyBytesFull() {
    return full(limits.bodyBytesInFlight(), "bytes of request bodies", "http.limits.bodyBytesInFlight");
  }

  /** Predict requests admitted now. */
  long predictRequests() {
    return predictRequests.get();
  }

  /**
   * The predict requests the node admits in flight now: {@code http.limits.predictRequestsInFlight}, less a quarter
   * for each interval in which its queue stood, down to an eighth of it (see {@link StandingQueue}).
   */
  long predictRequestLimit() {
    return predictQueue.limit(System.nanoTime(), predictRequests.get());
  }

  /**
   * Registers {@code busflow_http_connections_open}, {@code busflow_http_connections_refused_total}, {@code
   * busflow_http_predict_requests_in_flight} and {@code busflow_http_predict_requests_limit} (the
   * {@linkplain #predictRequestLimit() limit}, its interval closed by the scrape when it has ended, so that an idle
   * node shows its limit recovered) in {@code meters}; once per registry.
   */
  void bind(MeterRegistry meters) {
    Gauge.builder("busflow.http.connections.open", connections, AtomicLong::get).strongReference(true)
        .description("HTTP connections open on the node (http.limits.connections bounds them)").register(meters);
    FunctionCounter.builder("busflow.http.connections.refused", connectionsRefused, AtomicLong::get)
        .description("connections accepted past http.limits.connections and closed, since the node started")
        .register(meters);
    Gauge.builder("busflow.http.predict.requests.in.flight", predictRequests, AtomicLong::get).strongReference(true)
        .description("predict requests admitted and not yet answered").register(meters);
    Gauge.builder("busflow.http.predict.requests.limit", this, Admission::predictRequestLimit).strongReference(true)
        .description("predict requests the node admits in flight now (lowered while its queue stands)")
        .register(meters);
  }

  /**
   * The route handler that admits one more predict request (given back when its response ends) as soon as its
   * headers arrive, before its body is read, so that an overloaded node sheds the excess for the cost of a
   * header parse instead of queueing it. 503 at once past {@link #predictRequestLimit()}: {@code
   * http.limits.predictRequestsInFlight}, lowered while the node has a {@link StandingQueue standing queue} (even
   * the fastest request of the last {@code predictQueueIntervalMs} took more than {@code predictQueueTargetMs}): a
   * burst is queued, sustained overload is shed. A platform handler: it goes before the body handler. An admitted
   * request goes on to {@code then} in the same route handler (the request timeout: one dispatch less).
   */
  PlatformHandler predictRequestAdmission(Handler<RoutingContext> then) {
    return ctx -> admitPredictRequest(ctx, then);
  }

  private void admitPredictRequest(RoutingContext ctx, Handler<RoutingContext> then) {
    long now = System.nanoTime();
    long limit = predictQueue.limit(now, predictRequests.get());
    if (!tryTake(predictRequests, 1, limit)) {
      ctx.fail(refusal(limit));
      return;
    }
    ctx.addEndHandler(ar -> {
      predictRequests.decrementAndGet();
      predictQueue.finished(now, System.nanoTime());
    });
    then.handle(ctx);
  }

  /**
   * The 503 a predict request arriving now would get from {@link #predictRequestAdmission}, or null when it would be
   * admitted; takes nothing. For shedding before the router ({@link EarlyShed}): what it lets through is admitted
   * or refused by the route as usual.
   */
  HttpFailure predictRefusal() {
    long inFlight = predictRequests.get();
    long limit = predictQueue.limit(System.nanoTime(), inFlight);
    return inFlight >= limit ? refusal(limit) : null;
  }

  /** The 503 of a predict request past {@code limit}. */
  private HttpFailure refusal(long limit) {
    if (limit >= predictQueue.most()) {
      return requestsFull;
    }
    Queued last = queued;
    if (last.limit() != limit) {
      last = new Queued(limit, queued(limit));
      queued = last;
    }
    return last.failure();
  }

  /** Counts a predict request shed before the router ({@link EarlyShed}). */
  void shedBeforeRouting() {
    shedBeforeRouting.incrementAndGet();
  }

  /** Predict requests shed before the router since the node started. */
  long shedBeforeRoutingCount() {
    return shedBeforeRouting.get();
  }

  private HttpFailure queued(long limit) {
    return new HttpFailure(503, ErrorCode.MAILBOX_FULL, "this node is overloaded: even the fastest predict request "
        + "of an interval of " + limits.predictQueueIntervalMs() + " ms took more than "
        + limits.predictQueueTargetMs() + " ms (http.limits.predictQueueTargetMs), so it admits " + limit
        + " predict requests in flight, not " + predictQueue.most() + ", until its queue drains; retry after the "
        + "Retry-After delay, or add instances or nodes");
  }

  /**
   * Takes an event stream (a job's events, the console's dead letters), to be given back by
   * {@link #giveEventStream} when it ends; 503 past {@code http.limits.eventStreams}.
   */
  void takeEventStream() {
    if (!tryTake(eventStreams, 1, limits.eventStreams())) {
      throw new HttpFailure(503, ErrorCode.MAILBOX_FULL, "this node has " + limits.eventStreams() + " event "
          + "streams open (job events, dead letters), its limit (http.limits.eventStreams); retry after the "
          + "Retry-After delay, poll GET /api/v1/jobs/{id} instead, or raise http.limits.eventStreams");
    }
  }

  void giveEventStream() {
    eventStreams.decrementAndGet();
  }

  /**
   * Takes {@code bytes} — about the most the answer to {@code ctx}'s {@code records} records takes while it is made,
   * for a model of {@code classes} classes — from {@code http.limits.bodyBytesInFlight}, given back when its response
   * ends: 413 TOO_LARGE, saying how many records fit, when the answer alone is larger than the bound; 503
   * MAILBOX_FULL when it does not fit beside what is in flight now.
   */
  void takeAnswerBytes(RoutingContext ctx, long bytes, int records, int classes) {
    long limit = limits.bodyBytesInFlight();
    if (bytes > limit) {
      long fit = Math.max(1, records * (limit / 2) / bytes);
      throw new HttpFailure(413, ErrorCode.TOO_LARGE, "the answer to " + records + " records of this pipeline"
          + (classes > 0 ? " (its model has " + classes + " classes, and each record answers every class's "
          + "probability)" : "") + " takes about " + mb(bytes) + " to make, more than the " + mb(limit) + " of "
          + "http.limits.bodyBytesInFlight in all; send at most " + fit + " records per request, or raise "
          + "http.limits.bodyBytesInFlight (with the heap)");
    }
    if (!tryTake(bodyBytes, bytes, limit)) {
      throw full(limit, "bytes of request bodies and answers", "http.limits.bodyBytesInFlight");
    }
    ctx.addEndHandler(ar -> bodyBytes.addAndGet(-bytes));
  }

  /** Takes {@code n} predicted records for {@code ctx}, given back when its response ends; 503 past the limit. */
  void takePredictRows(RoutingContext ctx, long n) {
    if (!tryTake(predictRows, n, limits.predictRowsInFlight())) {
      throw full(limits.predictRowsInFlight(), "records being predicted", "http.limits.predictRowsInFlight");
    }
    ctx.addEndHandler(ar -> predictRows.addAndGet(-n));
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }

  private static boolean tryTake(AtomicLong counter, long n, long limit) {
    if (counter.addAndGet(n) > limit) {
      counter.addAndGet(-n);
      return false;
    }
    return true;
  }

  private static HttpFailure full(long limit, String what, String key) {
    return new HttpFailure(503, ErrorCode.MAILBOX_FULL, "this node is at its limit of " + limit + " " + what
        + " in flight (" + key + "); retry after the Retry-After delay, send less per request, or raise " + key);
  }
}
