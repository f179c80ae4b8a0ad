package io.busflow.pipeline.coordinator;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The piece runner at {@link PieceProtocol#ADDRESS}: the half of a job that carries rows, deployed beside the
 * loader (actor type {@code runner}) so that a piece's batches go from the loader through the stages into its part
 * file (or to a fit session) on one node, and only a small {@link PieceProtocol.Done} goes back to the
 * coordinator. Runs any number of pieces at once: each {@link PieceProtocol.Run} is answered at once with
 * {@link PieceProtocol.Started}, and its outcome told to the run's progress address when it ends. A
 * {@link PieceProtocol.Cancel} stops the runs it covers; stopping the runner stops its runs before their next batch
 * and tells their outcome ({@code STOPPING}: the coordinator runs them elsewhere), waiting for that at most its
 * drain timeout. Options: those of {@link StageOptions} (the output roots the part files are in).
 */
public final class PieceRunner extends Actor<PieceProtocol.Run> {

  private final Map<PieceRun, Future<Void>> running = new LinkedHashMap<>();
  private StageOptions options;
  private MessageConsumer<JsonObject> cancels;
  private boolean stopping;

  public PieceRunner() {
    super(PieceProtocol.ADDRESS, PieceProtocol::decode);
  }

  @Override
  protected String defaultName() {
    return "runner";
  }

  @Override
  protected Future<?> onStart() {
    options = StageOptions.read(settings().options(), "actors." + settings().name() + ".options");
    cancels = vertx.eventBus().consumer(PieceProtocol.CANCEL_ADDRESS, m -> onCancel(PieceProtocol.Cancel.fromJson(m.body())));
    return cancels.completion();
  }

  @Override
  protected Future<?> onStop() {
    stopping = true;
    running.keySet().forEach(PieceRun::cancel);
    Promise<Void> told = Promise.promise();
    Future.join(new ArrayList<>(running.values())).onComplete(ar -> told.tryComplete());
    long timer = vertx.setTimer(Math.max(1, settings().drainTimeoutMs()), id -> told.tryComplete());
    return told.future().onComplete(ar -> vertx.cancelTimer(timer))
        .compose(v -> cancels.unregister()).recover(t -> Future.succeededFuture());
  }

  @Override
  protected Future<?> onMessage(PieceProtocol.Run request) {
    PieceRun run = new PieceRun(vertx, options, request);
    running.put(run, run.run().transform(ar -> {
      running.remove(run);
      tellOutcome(request, ar);
      return Future.succeededFuture();
    }));
    return Future.succeededFuture(new PieceProtocol.Started(request.piece(), request.attempt(),
        StateStore.origin(vertx)).toJson());
  }

  /** Tells the run's progress address how it ended: its {@link PieceProtocol.Done}, or a {@link PieceProtocol.Failed}. */
  private void tellOutcome(PieceProtocol.Run request, AsyncResult<PieceProtocol.Done> ar) {
    Object outcome = ar.succeeded() ? ar.result() : PieceProtocol.Failed.of(request, mapped(ar.cause())).toJson();
    vertx.eventBus().send(request.progress(), outcome);
  }

  private void onCancel(PieceProtocol.Cancel cancel) {
    running.keySet().stream().filter(r -> cancel.covers(r.request())).forEach(PieceRun::cancel);
  }

  /**
   * The failure to answer a run with: a run this runner stopped as it was undeployed is {@code STOPPING} naming the
   * runners' address, so the coordinator runs the piece on another runner; a run the job cancelled is
   * {@code STOPPING} saying so.
   */
  private Throwable mapped(Throwable t) {
    if (t instanceof JobCancelledException && stopping) {
      return new ActorException(ErrorCode.STOPPING, "the piece runner at '" + PieceProtocol.ADDRESS + "' on node '"
          + nodeName() + "' is stopping; the piece runs again on another runner");
    }
    return t instanceof JobCancelledException ? new ActorException(ErrorCode.STOPPING, t.getMessage())
        : Failures.map(t, null);
  }
}
