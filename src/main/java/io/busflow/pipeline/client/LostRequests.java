package io.busflow.pipeline.client;

import io.busflow.actor.MemberWatch;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The requests one asker has in flight, given up when a cluster member leaves. Vert.x fails no request in flight to a
 * member that died: its reply would wait for the request's whole timeout. So this watches membership
 * ({@link MemberWatch}): when a member leaves, every request in flight is given up; then, every second for
 * {@value #SETTLE_LOOKS} seconds, so is every request in flight for more than a second, because until every node
 * has dropped the dead member's registrations, Vert.x may still route a request to it. What a request given up
 * becomes (sent again, failed) is its owner's. Confined to the context it was made on.
 */
public final class LostRequests {

  /** After a member left, requests in flight this long are given up, once a period, {@link #SETTLE_LOOKS} times. */
  public static final long LOOK_MS = 1000;
  public static final int SETTLE_LOOKS = 10;

  /** A request in flight; identity matters: the outcome of one given up finds it gone. */
  public interface Request {
    /** Called once, when the request is given up. */
    void lost();
  }

  private final Vertx vertx;
  private final Map<Request, Long> inFlight = new LinkedHashMap<>();
  private final BiConsumer<Set<String>, Integer> onLeft;
  private final MemberWatch watch;

  /** Starts watching; {@code onLeft} is told the members that left and how many requests were given up for it. */
  public LostRequests(Vertx vertx, BiConsumer<Set<String>, Integer> onLeft) {
    this.vertx = vertx;
    this.onLeft = onLeft;
    this.watch = MemberWatch.start(vertx, this::onMembersLeft);
  }

  /**
   * Sends {@code r} now, by {@code call}; {@code onAnswer} gets its outcome unless it was given up first (its late
   * outcome is then dropped). A {@code call} that throws fails the request.
   */
  public <R> void send(Request r, Supplier<Future<R>> call, Handler<AsyncResult<R>> onAnswer) {
    inFlight.put(r, System.currentTimeMillis());
    made(call).onComplete(ar -> {
      if (inFlight.remove(r) != null) {
        onAnswer.handle(ar);
      }
    });
  }

  /** The future {@code call} makes; failed with what it throws. */
  public static <R> Future<R> made(Supplier<Future<R>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Stops watching; idempotent. */
  public void stop() {
    watch.stop();
  }

  private void onMembersLeft(Set<String> left) {
    int given = giveUp(Long.MAX_VALUE);
    onLeft.accept(left, given);
    settleLook(SETTLE_LOOKS);
  }

  private void settleLook(int left) {
    if (left > 0) {
      vertx.setTimer(LOOK_MS, id -> {
        giveUp(System.currentTimeMillis() - LOOK_MS);
        settleLook(left - 1);
      });
    }
  }

  /** Gives up the requests in flight sent before {@code sentBefore}, after the walk (giving up resends); how many. */
  private int giveUp(long sentBefore) {
    List<Request> old = new ArrayList<>();
    inFlight.forEach((r, sentAt) -> {
      if (sentAt < sentBefore) {
        old.add(r);
      }
    });
    old.forEach(inFlight::remove);
    old.forEach(Request::lost);
    return old.size();
  }
}
