package io.busflow.pipeline.coordinator;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The piece runner at {@link PieceProtocol#ADDRESS}: the half of a scoring job that carries rows, deployed beside
 * the loader (actor type {@code runner}) so that a piece's batches go from the loader through the stages into
 * its part file on one node, and only a small {@link PieceProtocol.Done} goes back to the coordinator. Runs any
 * number of pieces at once (each answered when it ends, {@link #replyLater}); a {@link PieceProtocol.Cancel}
 * stops the runs it covers. Options: those of {@link StageOptions} (the output roots the part files are in).
 */
public final class PieceRunner extends Actor<PieceProtocol.Run> {

  private final Set<PieceRun> running = new LinkedHashSet<>();
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
    running.forEach(PieceRun::cancel);
    return cancels.unregister().recover(t -> Future.succeededFuture());
  }

  @Override
  protected Future<?> onMessage(PieceProtocol.Run request) {
    PieceRun run = new PieceRun(vertx, options, request);
    running.add(run);
    return replyLater(run.run().onComplete(ar -> running.remove(run)).recover(t -> Future.failedFuture(mapped(t))));
  }

  private void onCancel(PieceProtocol.Cancel cancel) {
    running.stream().filter(r -> cancel.covers(r.request())).forEach(PieceRun::cancel);
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
