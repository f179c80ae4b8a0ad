package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.client.LostRequests;
import io.busflow.pipeline.client.Resends;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asks of one job to its stages, made to survive the loss of stage nodes. Vert.x fails no request in
 * flight to a cluster member that died — its reply would wait for the stage timeout — so this watches
 * membership ({@link LostRequests}): when a member leaves, every ask in flight is given up (its late reply,
 * if any, is ignored); then, every second for {@value LostRequests#SETTLE_LOOKS} seconds, so is every ask in flight for
 * more than a second: until every node has dropped the dead member's registrations, Vert.x may still route
 * requests to it, and their replies never come.
 *
 * <p>{@link #ask} is for idempotent requests (transform, predict, load, opening a session): given up,
 * or failed with {@code NO_ACTOR}, {@code STOPPING} or {@code MAILBOX_FULL}, it is resent — Vert.x picks
 * among the instances left — with a backoff from {@value #FIRST_BACKOFF_MS} to {@value #MAX_BACKOFF_MS} ms,
 * for at most {@code stageWaitMs} of such failures in a row, then fails naming the stage; {@code TIMEOUT}
 * and {@code ACTOR_FAILED} (an instance that broke, e.g. because its node is closing) are resent up to
 * {@value #MAX_ATTEMPTS} attempts in all — a request that fails so every time fails the job. {@link #session} is for requests to one stateful
 * session, which cannot move: given up, or failed with {@code NO_ACTOR}, {@code STOPPING} or {@code TIMEOUT}, it fails with
 * {@link SessionLost} and the pass that fed it starts again. Confined to the coordinator's context.
 */
final class StageCalls implements Resends {

  private static final Logger LOG = LoggerFactory.getLogger(StageCalls.class);
  static final long FIRST_BACKOFF_MS = 100;
  static final long MAX_BACKOFF_MS = 1000;
  static final int MAX_ATTEMPTS = 3;

  /** A session's node is gone (or unreachable): whatever fed the session must start again. */
  static final class SessionLost extends ActorException {
    SessionLost(String message) {
      super(ErrorCode.NO_ACTOR, message);
    }
  }

  private final Vertx vertx;
  private final String pipeline;
  private final long waitMs;
  private final BooleanSupplier cancelled;
  private final Map<String, Long> resent = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> served = new LinkedHashMap<>();
  private final LostRequests lost;
  /** The members seen leaving while the job ran, by this watch or by the job's piece runs. */
  private final Set<String> membersLeft = new HashSet<>();
  /** The most members a part's own calls saw leave (a piece runner watches the cluster too). */
  private int membersLeftInParts;
  private int passesRestarted;

  StageCalls(Vertx vertx, String pipeline, long waitMs, BooleanSupplier cancelled) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.waitMs = waitMs;
    this.cancelled = cancelled;
    this.lost = new LostRequests(vertx, this::onMembersLeft);
  }

  /** An idempotent request to {@code stage} (its address), made by {@code call}; resent as described above. */
  @Override
  public <R> Future<R> ask(String stage, Supplier<Future<R>> call) {
    return ask(List.of(stage), call);
  }

  /**
   * An idempotent request that passes through {@code stages} in order (the first hands its work to the
   * next); resent as described above. A failure is blamed on the last of them whose address its message
   * names — busflow's failure messages name the actor's address — else on the first.
   */
  @Override
  public <R> Future<R> ask(List<String> stages, Supplier<Future<R>> call) {
    Call<R> c = new Call<>(stages, call, false);
    c.attempt();
    return c.result.future();
  }

  /** A request to one session of {@code stage}; fails with {@link SessionLost} when the session is gone. */
  <R> Future<R> session(String stage, Supplier<Future<R>> call) {
    Call<R> c = new Call<>(List.of(stage), call, true);
    c.attempt();
    return c.result.future();
  }

  /**
   * Adds what a piece runner's own calls did ({@link PieceRun}): batches served per node, resends, members seen
   * leaving.
   */
  void add(JobReport.Batches part) {
    // the same member may be seen leaving here and by every runner: the most seen, not their sum
    membersLeftInParts = Math.max(membersLeftInParts, part.membersLeft());
    part.stages().forEach((stage, b) -> {
      if (b.nodes() != null) {
        b.nodes().forEach((node, n) -> served.computeIfAbsent(stage, s -> new LinkedHashMap<>()).merge(node, n, Long::sum));
      }
      if (b.resent() != null) {
        resent.merge(stage, b.resent(), Long::sum);
      }
    });
  }

  /**
   * Counts {@code node} (a cluster node id) as a member that left while the job ran, each member once: a piece run
   * may learn it from a runner's answer before this watch's next look, and a short job may end before that look.
   */
  void memberLeft(String node) {
    membersLeft.add(node);
  }

  /** Counts a pass that started again because a session it fed was lost. */
  void passRestarted() {
    passesRestarted++;
  }

  /** Counts a batch that {@code stage} handled on the node named {@code node}. */
  @Override
  public void servedBy(String stage, String node) {
    served.computeIfAbsent(stage, s -> new LinkedHashMap<>()).merge(String.valueOf(node), 1L, Long::sum);
  }

  /**
   * What happened to the job's batch requests: per stage, the batches each node handled ({@code nodes}) and
   * the requests resent ({@code resent}); the cluster members that left while the job ran; the passes that
   * started again.
   */
  JobReport.Batches report() {
    Map<String, JobReport.StageBatches> stages = new LinkedHashMap<>();
    served.forEach((stage, nodes) -> stages.put(stage, new JobReport.StageBatches(new LinkedHashMap<>(nodes), null)));
    resent.forEach((stage, n) -> stages.merge(stage, new JobReport.StageBatches(null, n),
        (had, more) -> new JobReport.StageBatches(had.nodes(), n)));
    return new JobReport.Batches(stages, Math.max(membersLeft.size(), membersLeftInParts), passesRestarted);
  }

  void stop() {
    lost.stop();
  }

  private void onMembersLeft(Set<String> left, int given) {
    membersLeft.addAll(left);
    LOG.info("pipeline '{}': {} cluster member(s) left; resending {} stage request(s) in flight", pipeline,
        left.size(), given);
  }

  /** One sending of a call; identity matters: a late reply to an attempt given up finds it gone. */
  private static final class Attempt implements LostRequests.Request {
    final Call<?> call;

    Attempt(Call<?> call) {
      this.call = call;
    }

    @Override
    public void lost() {
      call.abandoned();
    }
  }

  private final class Call<R> {
    final List<String> stages;
    final Supplier<Future<R>> call;
    final boolean session;
    final Promise<R> result = Promise.promise();
    int failures;
    long waitingSince = -1;
    long backoff = FIRST_BACKOFF_MS;

    Call(List<String> stages, Supplier<Future<R>> call, boolean session) {
      this.stages = stages;
      this.call = call;
      this.session = session;
    }

    void attempt() {
      if (cancelled.getAsBoolean()) {
        result.tryFail(new JobCancelledException());
        return;
      }
      lost.send(new Attempt(this), call, this::settle);
    }

    void abandoned() {
      if (session) {
        result.tryFail(new SessionLost("pipeline '" + pipeline + "': a cluster member left while '" + stages.get(0)
            + "' was working on a request of this job; the pass that feeds it starts again"));
      } else {
        resend(stages, FIRST_BACKOFF_MS); // which stage's member it was is not known: counted for each
      }
    }

    /** The stage {@code cause} is about. */
    String blamed(Throwable cause) {
      String message = String.valueOf(cause.getMessage());
      for (int i = stages.size() - 1; i > 0; i--) {
        if (message.contains("'" + stages.get(i) + "'")) {
          return stages.get(i);
        }
      }
      return stages.get(0);
    }

    void settle(AsyncResult<R> ar) {
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
        return;
      }
      ErrorCode code = ar.cause() instanceof ActorException e ? e.code() : null;
      if (session) {
        settleSession(ar.cause(), code);
      } else if (code == ErrorCode.NO_ACTOR || code == ErrorCode.STOPPING || code == ErrorCode.MAILBOX_FULL) {
        waitForStage((ActorException) ar.cause());
      } else if ((code == ErrorCode.TIMEOUT || code == ErrorCode.ACTOR_FAILED) && ++failures < MAX_ATTEMPTS) {
        resend(List.of(blamed(ar.cause())), FIRST_BACKOFF_MS);
      } else {
        result.tryFail(ar.cause());
      }
    }

    void settleSession(Throwable cause, ErrorCode code) {
      if (code == ErrorCode.NO_ACTOR || code == ErrorCode.TIMEOUT || code == ErrorCode.STOPPING) {
        result.tryFail(new SessionLost("pipeline '" + pipeline + "': the session '" + stages.get(0) + "' is gone ("
            + cause.getMessage() + "); the pass that feeds it starts again"));
      } else {
        result.tryFail(cause);
      }
    }

    void waitForStage(ActorException cause) {
      String stage = blamed(cause);
      long now = System.currentTimeMillis();
      if (waitingSince < 0) {
        waitingSince = now;
      }
      if (now - waitingSince >= waitMs) {
        result.tryFail(new ActorException(cause.code(), "pipeline '" + pipeline + "': stage '" + stage
            + "' has had no instance able to take work for " + (now - waitingSince) + " ms (stageWaitMs is "
            + waitMs + "; last answer: " + cause.getMessage() + "); start a node hosting it (e.g. with "
            + "conf/nodes/" + nodeFile(stage) + ") or raise stageWaitMs"));
        return;
      }
      resend(List.of(stage), Math.min(backoff, Math.max(1, waitingSince + waitMs - now)));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    void resend(List<String> counted, long delayMs) {
      counted.forEach(stage -> resent.merge(stage, 1L, Long::sum));
      vertx.setTimer(delayMs, id -> attempt());
    }
  }

  private static String nodeFile(String stage) {
    return stage.equals(StageProtocol.MODEL_ADDRESS) ? "model.json"
        : stage.equals(StageProtocol.PREPROCESS_ADDRESS) ? "preprocessor.json" : "coordinator.json";
  }
}
