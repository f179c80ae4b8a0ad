package io.busflow.pipeline.client;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
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
 * up to {@value #MAX_SENDS} sends in all, so that its caller does not wait out the whole timeout for a reply that
 * will not come; Vert.x picks among the instances left. Requests must be idempotent. On a node that is not
 * clustered every request is sent once. Confined to one context; its first request there starts its watch.
 */
public final class OnlineResends implements Resends {

  private static final Logger LOG = LoggerFactory.getLogger(OnlineResends.class);
  /** The most times one request is sent. */
  public static final int MAX_SENDS = 3;

  private final Vertx vertx;
  private final String what;
  private LostRequests lost;

  /** Resends for the requests of {@code what} (named in the log and in failures, e.g. "pipeline 'churn'"). */
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
    new Sending<>(stages, call, result, 1).send();
    return result.future();
  }

  /** Nothing to count: an online request has no report. */
  @Override
  public void servedBy(String stage, String node) {
  }

  /** Stops watching the cluster; idempotent. */
  public void stop() {
    if (lost != null) {
      lost.stop();
    }
  }

  /** One sending of a request; identity matters: the reply to one given up finds it gone. */
  private final class Sending<R> implements LostRequests.Request {
    final List<String> stages;
    final Supplier<Future<R>> call;
    final Promise<R> result;
    final int number;

    Sending(List<String> stages, Supplier<Future<R>> call, Promise<R> result, int number) {
      this.stages = stages;
      this.call = call;
      this.result = result;
      this.number = number;
    }

    void send() {
      lost.send(this, call, result::handle);
    }

    @Override
    public void lost() {
      if (number < MAX_SENDS) {
        new Sending<>(stages, call, result, number + 1).send();
        return;
      }
      result.tryFail(new ActorException(ErrorCode.NO_ACTOR, what + ": a cluster member left while '" + stages.get(0)
          + "' had this request, " + MAX_SENDS + " times; retry once the cluster has settled"));
    }
  }
}
