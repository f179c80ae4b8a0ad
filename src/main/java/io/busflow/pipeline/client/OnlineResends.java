package io.busflow.pipeline.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resends for requests that have a caller waiting (online predictions). A failure is passed on as it comes: the
 * caller decides. A request in flight when a cluster member leaves is sent again instead ({@link LostRequests}),
 * so that its caller does not wait out the whole timeout for a reply that will not come; Vert.x picks among the
 * instances left. A request is sent at most {@value #MAX_SENDS} times, and its last sending is not given up: it is
 * answered or times out. Requests must be idempotent. On a node that is not clustered every request is sent once.
 * Confined to one context; its first request there starts its watch, a timer of that context (it ends with the
 * verticle that owns the context).
 */
public final class OnlineResends implements Resends {

  private static final Logger LOG = LoggerFactory.getLogger(OnlineResends.class);
  /** The most times one request is sent. */
  public static final int MAX_SENDS = 3;

  private final Vertx vertx;
  private final String what;
  private LostRequests lost;

  /** Resends for the requests of {@code what} (named in the log, e.g. "online predictions"). */
  public OnlineResends(Vertx vertx, String what) {
    this.vertx = vertx;
    this.what = what;
  }

  @Override
  public <R> Future<R> ask(List<String> stages, Supplier<Future<R>> call) {
    if (!vertx.isClustered()) {
      return call.get();
    }
    if (lost == null) {
      lost = new LostRequests(vertx, (left, given) -> LOG.info("{}: {} cluster member(s) left; sending {} request(s) "
          + "in flight again", what, left.size(), given));
    }
    Promise<R> result = Promise.promise();
    new Sending<>(call, result, 1).send();
    return result.future();
  }

  /** Nothing to count: an online request has no report. */
  @Override
  public void servedBy(String stage, String node) {
  }

  /** One sending of a request; identity matters: the reply to one given up finds it gone. */
  private final class Sending<R> implements LostRequests.Request {
    final Supplier<Future<R>> call;
    final Promise<R> result;
    final int number;

    Sending(Supplier<Future<R>> call, Promise<R> result, int number) {
      this.call = call;
      this.result = result;
      this.number = number;
    }

    void send() {
      if (number < MAX_SENDS) {
        lost.send(this, call, result::handle);
        return;
      }
      // the last sending is not given up: a request slower than the settling looks' second is answered, or times out
      LostRequests.made(call).onComplete(result::handle);
    }

    @Override
    public void lost() {
      new Sending<>(call, result, number + 1).send();
    }
  }
}
