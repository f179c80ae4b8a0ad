package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's admission counters, shared by every HTTP verticle instance of one Vert.x instance (a
 * {@link io.vertx.core.shareddata.LocalMap} entry): bytes of request bodies in flight, predict requests and
 * records being predicted. A request takes its share before the work starts and gives it back when its response ends (or
 * its connection closes); past the limit it gets 503 MAILBOX_FULL with {@code Retry-After} at once.
 */
final class Admission implements Shareable {

  private static final String MAP = "busflow.http.admission";

  private final HttpConfig.Limits limits;
  private final AtomicLong bodyBytes = new AtomicLong();
  private final AtomicLong predictRows = new AtomicLong();
  private final AtomicLong predictRequests = new AtomicLong();

  private Admission(HttpConfig.Limits limits) {
    this.limits = limits;
  }

  /** The node's counters (made by the first HTTP verticle with its limits). */
  static Admission of(Vertx vertx, HttpConfig config) {
    return vertx.sharedData().<String, Admission>getLocalMap(MAP)
        .computeIfAbsent("node", k -> new Admission(config.limits()));
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
   * The route handler that admits one more predict request (given back when its response ends) as soon as its
   * headers arrive, before its body is read; past {@code http.limits.predictRequestsInFlight} 503 at once, so
   * that an overloaded node sheds the excess for the cost of a header parse instead of queueing it. A platform
   * handler: it goes before the body handler.
   */
  PlatformHandler predictRequestAdmission() {
    return this::admitPredictRequest;
  }

  private void admitPredictRequest(RoutingContext ctx) {
    if (!tryTake(predictRequests, 1, limits.predictRequestsInFlight())) {
      ctx.fail(full(limits.predictRequestsInFlight(), "predict requests", "http.limits.predictRequestsInFlight"));
      return;
    }
    ctx.addEndHandler(ar -> predictRequests.decrementAndGet());
    ctx.next();
  }

  /** Takes {@code n} predicted records for {@code ctx}, given back when its response ends; 503 past the limit. */
  void takePredictRows(RoutingContext ctx, long n) {
    if (!tryTake(predictRows, n, limits.predictRowsInFlight())) {
      throw full(limits.predictRowsInFlight(), "records being predicted", "http.limits.predictRowsInFlight");
    }
    ctx.addEndHandler(ar -> predictRows.addAndGet(-n));
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
