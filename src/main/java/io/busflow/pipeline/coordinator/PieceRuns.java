package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.Ids;
import io.busflow.actor.MemberWatch;
import io.busflow.pipeline.client.LostRequests;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pieces of a pass on piece runners ({@link PieceRunner}) and collects what they did, so that the
 * coordinator carries no rows: it sends each piece one {@link PieceProtocol.Run}, which the runner answers at once
 * ({@link PieceProtocol.Started}, within {@value #RUN_ANSWER_MS} ms), counts the runs' small
 * {@link PieceProtocol.Progress} tells, and takes their outcomes, told to the same address
 * ({@link PieceProtocol.Done} or {@link PieceProtocol.Failed}); no reply is left waiting on a run, so a run given
 * up leaves nothing behind (its late outcome is dropped). A run whose node leaves the cluster ({@link MemberWatch})
 * is given up — cancelled, its part discarded — and the piece is run again elsewhere as a new attempt with a part
 * of its own, so the output holds each piece once. A run not yet started (its runner has not answered) when a
 * member left is treated alike, and so, for {@value LostRequests#SETTLE_LOOKS} seconds after, is one still not
 * started after a second: until the cluster has dropped the dead member's registrations Vert.x may route a run to
 * it; a run whose runner does not answer within {@value #RUN_ANSWER_MS} ms (or {@code stageTimeoutMs} when shorter) is
 * given up too. With no runner anywhere
 * ({@code NO_ACTOR}) or runners refusing ({@code STOPPING}, {@code MAILBOX_FULL}) a piece waits up to the
 * pipeline's {@code stageWaitMs}. When a piece fails, the pieces after it are cancelled and those before it go on,
 * so that the error reported is the one nearest the start of the file.
 *
 * <p>Runs that feed a fit session ({@link PieceProtocol.Task#FIT_ROWS}, {@code FIT_FEATURES}) are never run again
 * piece by piece — the session has taken part of the lost run's rows —: a run lost with its node, or a run failing
 * because the session is gone, fails the pass with {@link StageCalls.SessionLost}, and the phase starts again with a
 * new session ({@link JobContext#restartable}). Confined to the coordinator's context.
 */
final class PieceRuns {

  private static final Logger LOG = LoggerFactory.getLogger(PieceRuns.class);
  /**
   * How long a runner may take to answer a run, unless the pipeline's {@code stageTimeoutMs} is shorter. A runner
   * answers at once ({@link PieceProtocol.Started}), so a run unanswered this long was lost on its way — Vert.x drops a
   * clustered message that reaches a runner as it unregisters (an undeploy) — and is given up like a run whose node
   * left, where it would otherwise hold the job for the whole {@code stageTimeoutMs} (5 minutes by default).
   */
  static final long RUN_ANSWER_MS = 10_000;
  /** Makes the run request of attempt {@code attempt} of piece {@code piece}, which tells its progress to {@code progress}. */
  interface Request {
    PieceProtocol.Run of(int piece, int attempt, String progress);
  }

  private final JobContext ctx;
  private final Request request;
  /** The fit session the runs feed, or null when a piece may run again on its own. */
  private final String session;
  private final String progress = PieceProtocol.ADDRESS + ".progress." + Ids.next();
  private final Map<Integer, Attempt> current = new HashMap<>();
  private final List<Promise<PieceProtocol.Done>> pieces = new ArrayList<>();
  private MessageConsumer<Object> tells;
  private MemberWatch watch;
  private int failedAt = Integer.MAX_VALUE;

  /** One sending of a piece's run; identity matters: a late answer to an attempt given up finds it replaced. */
  private static final class Attempt {
    final int piece;
    final int number;
    final long sentAt = System.currentTimeMillis();
    /** When its runners started refusing the piece, or -1. */
    final long waitingSince;
    String node;
    boolean started;

    Attempt(int piece, int number, long waitingSince) {
      this.piece = piece;
      this.number = number;
      this.waitingSince = waitingSince;
    }
  }

  /** The fitted preprocessor and model of {@code f} as a run carries them (by reference); none when null. */
  static PieceProtocol.Artifacts artifacts(StageClient.Fitted f) {
    return f == null ? new PieceProtocol.Artifacts(null, null, null, null, null, null)
        : new PieceProtocol.Artifacts(f.preprocessor(), f.preprocessorFrom(), f.preprocessorState(), f.model(),
            f.modelFrom(), f.modelState());
  }

  /** Runs whose requests {@code request} makes. */
  PieceRuns(JobContext ctx, Request request) {
    this(ctx, request, null);
  }

  /** Runs whose requests {@code request} makes, feeding the fit session at {@code session} (null: none). */
  PieceRuns(JobContext ctx, Request request, String session) {
    this.ctx = ctx;
    this.request = request;
    this.session = session;
  }

  /** Runs pieces 0 … {@code count}-1 at once; completes with their {@link PieceProtocol.Done}s in piece order. */
  Future<List<PieceProtocol.Done>> run(int count) {
    tells = ctx.vertx.eventBus().consumer(progress, m -> onTell(m.body()));
    return tells.completion().compose(v -> {
      watch = MemberWatch.start(ctx.vertx, this::onMembersLeft);
      for (int p = 0; p < count; p++) {
        pieces.add(Promise.promise());
        send(p, 0, -1);
      }
      List<Future<PieceProtocol.Done>> all = pieces.stream().map(Promise::future).toList();
      return Future.join(all).transform(ar -> ar.succeeded()
          ? Future.succeededFuture(all.stream().map(Future::result).toList())
          : Future.failedFuture(firstFailure(all)));
    }).eventually(this::stop);
  }

  private Future<Void> stop() {
    if (watch != null) {
      watch.stop();
    }
    return tells.unregister().recover(t -> Future.succeededFuture());
  }

  /**
   * Sends attempt {@code number} of piece {@code piece}; {@code waitingSince}: when its runners started refusing.
   * The runner answers at once ({@link PieceProtocol.Started}), within {@link #RUN_ANSWER_MS}; the
   * outcome comes later, told to {@link #progress}.
   */
  private void send(int piece, int number, long waitingSince) {
    if (ctx.cancelled || piece > failedAt) {
      pieces.get(piece).tryFail(new JobCancelledException());
      return;
    }
    Attempt a = new Attempt(piece, number, waitingSince);
    current.put(piece, a);
    ActorRef runner = ctx.refs.to(PieceProtocol.ADDRESS)
        .withTimeout(Duration.ofMillis(Math.min(RUN_ANSWER_MS, ctx.def.stageTimeoutMs())));
    runner.<JsonObject>ask(request.of(piece, number, progress)).onComplete(ar -> {
      if (ar.succeeded()) {
        onStarted(a, PieceProtocol.Started.fromJson(ar.result()));
      } else if (ar.cause() instanceof ActorException e && e.code() == ErrorCode.TIMEOUT) {
        giveUp(x -> x == a);
      } else {
        settle(a, ar.cause());
      }
    });
  }

  /**
   * A runner took attempt {@code a}. A runner on a node that has already left the cluster can still answer (the
   * reply goes straight back over the wire, though its node will never tell an outcome): such an attempt is given up.
   */
  private void onStarted(Attempt a, PieceProtocol.Started s) {
    a.started = true;
    a.node = s.node();
    if (!watch.isMember(s.node())) {
      ctx.calls.memberLeft(s.node());
      giveUp(x -> x == a);
    }
  }

  /** A tell at {@link #progress}: a run's {@link PieceProtocol.Progress}, {@link PieceProtocol.Done} or {@link PieceProtocol.Failed}. */
  private void onTell(Object body) {
    if (body instanceof PieceProtocol.Done d) {
      Attempt a = attempt(d.piece(), d.attempt());
      if (a != null) {
        pieces.get(a.piece).tryComplete(d);
      }
    } else if (body instanceof JsonObject j && j.containsKey("code")) {
      PieceProtocol.Failed f = PieceProtocol.Failed.fromJson(j);
      Attempt a = attempt(f.piece(), f.attempt());
      if (a != null) {
        settle(a, f.cause());
      }
    } else if (body instanceof JsonObject j) {
      onProgress(PieceProtocol.Progress.fromJson(j));
    }
  }

  /** The attempt in flight that is number {@code number} of piece {@code piece}; null for one given up. */
  private Attempt attempt(int piece, int number) {
    Attempt a = current.get(piece);
    return a != null && a.number == number ? a : null;
  }

  /** Settles attempt {@code a}, which failed with {@code cause} (refused by the runners, or failed by one). */
  private void settle(Attempt a, Throwable cause) {
    if (current.get(a.piece) != a) {
      return;
    }
    Promise<PieceProtocol.Done> piece = pieces.get(a.piece);
    if (piece.future().isComplete()) {
      return; // its Done came first: a late failure of the run's request (its answer bound) changes nothing
    }
    long waitingSince = a.waitingSince;
    ErrorCode code = cause instanceof ActorException e ? e.code() : null;
    if (refused(code, cause) && !ctx.cancelled) {
      waitForRunner(a, (ActorException) cause, waitingSince);
      return;
    }
    if (ctx.cancelled || a.piece > failedAt) {
      piece.tryFail(new JobCancelledException());
      return;
    }
    failedAt = Math.min(failedAt, a.piece);
    cancelRuns(x -> x.piece > a.piece);
    piece.tryFail(sessionGone(code, cause) ? lost("a piece run found it gone: " + cause.getMessage())
        : cause);
  }

  /** Whether a run failed because the fit session it fed is gone (its failure names the session). */
  private boolean sessionGone(ErrorCode code, Throwable cause) {
    return session != null && (code == ErrorCode.NO_ACTOR || code == ErrorCode.TIMEOUT || code == ErrorCode.STOPPING)
        && String.valueOf(cause.getMessage()).contains("'" + session + "'");
  }

  private StageCalls.SessionLost lost(String why) {
    return new StageCalls.SessionLost("pipeline '" + ctx.def.name() + "': the pass feeding the fit session '"
        + session + "' lost rows (" + why + "); the pass starts again");
  }

  /** Cancels the runs in flight that {@code which} picks, each attempt by its number. */
  private void cancelRuns(Predicate<Attempt> which) {
    current.values().stream().filter(which)
        .forEach(x -> publishCancel(new PieceProtocol.Cancel(ctx.job, x.piece, x.number, progress)));
  }

  /** Whether no runner took the run (rather than a runner failing it): the failure names the runners' address. */
  private static boolean refused(ErrorCode code, Throwable cause) {
    return (code == ErrorCode.NO_ACTOR || code == ErrorCode.STOPPING || code == ErrorCode.MAILBOX_FULL)
        && String.valueOf(cause.getMessage()).contains("'" + PieceProtocol.ADDRESS + "'");
  }

  private void waitForRunner(Attempt a, ActorException cause, long since) {
    long now = System.currentTimeMillis();
    long waitingSince = since < 0 ? now : since;
    long waitMs = ctx.def.stageWaitMs();
    if (now - waitingSince >= waitMs) {
      pieces.get(a.piece).tryFail(new ActorException(cause.code(), "pipeline '" + ctx.def.name() + "': no piece runner"
          + " at '" + PieceProtocol.ADDRESS + "' took piece " + a.piece + " for " + (now - waitingSince)
          + " ms (stageWaitMs is " + waitMs + "; last answer: " + cause.getMessage() + "); deploy an actor of type "
          + "'runner' beside the loader (conf/nodes/coordinator.json shows one), or raise stageWaitMs"));
      return;
    }
    long backoff = Math.min(StageCalls.MAX_BACKOFF_MS, StageCalls.FIRST_BACKOFF_MS << Math.min(4, a.number));
    ctx.vertx.setTimer(Math.max(1, Math.min(backoff, waitingSince + waitMs - now)),
        id -> send(a.piece, a.number + 1, waitingSince));
  }

  private void onProgress(PieceProtocol.Progress p) {
    Attempt a = current.get(p.piece());
    if (a == null || a.number != p.attempt()) {
      return;
    }
    a.started = true;
    a.node = p.node();
    if (p.rows() > 0) {
      ctx.progress.rowsRead(p.rows());
    }
  }

  private void onMembersLeft(Set<String> left) {
    left.forEach(ctx.calls::memberLeft);
    int given = giveUp(a -> !a.started || left.contains(a.node));
    LOG.info("job '{}': {} cluster member(s) left; {} piece run(s) given up: {}", ctx.job, left.size(), given,
        given == 0 ? "nothing to do" : session == null ? "their pieces run again elsewhere"
            : "the pass feeding a fit session starts again");
    settleLook(LostRequests.SETTLE_LOOKS);
  }

  private void settleLook(int left) {
    if (left > 0) {
      ctx.vertx.setTimer(LostRequests.LOOK_MS, id -> {
        long before = System.currentTimeMillis() - LostRequests.LOOK_MS;
        giveUp(a -> !a.started && a.sentAt < before);
        settleLook(left - 1);
      });
    }
  }

  /** Gives up the runs in flight that {@code lost} picks and sends their pieces again; how many. */
  private int giveUp(Predicate<Attempt> lost) {
    List<Attempt> old = current.values().stream()
        .filter(a -> !pieces.get(a.piece).future().isComplete() && lost.test(a)).toList();
    if (session != null && !old.isEmpty()) {
      cancelRuns(a -> true);
      var cause = lost(old.size() + " run(s) lost with their node or never started");
      pieces.forEach(p -> p.tryFail(cause));
      return old.size();
    }
    for (Attempt a : old) {
      publishCancel(new PieceProtocol.Cancel(ctx.job, a.piece, a.number, progress));
      ctx.calls.passRestarted();
      send(a.piece, a.number + 1, -1);
    }
    return old.size();
  }

  private void publishCancel(PieceProtocol.Cancel cancel) {
    ctx.vertx.eventBus().publish(PieceProtocol.CANCEL_ADDRESS, cancel.toJson());
  }

  private Throwable firstFailure(List<Future<PieceProtocol.Done>> all) {
    if (ctx.cancelled) {
      return new JobCancelledException();
    }
    return all.stream().filter(Future::failed).map(Future::cause)
        .filter(t -> !(t instanceof JobCancelledException)).findFirst()
        .orElseGet(() -> all.stream().filter(Future::failed).findFirst().orElseThrow().cause());
  }
}
