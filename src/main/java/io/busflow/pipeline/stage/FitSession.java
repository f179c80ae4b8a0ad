package io.busflow.pipeline.stage;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One fit over a stream of batches, for a stage of any kind: each batch goes to the kind's {@link StageKind.Fitting}
 * (reply {@code {"rows":n}}); on {@code finish} the fitted artifact is stored on this node and the reply is its
 * {@link StageProtocol.Fitted}; {@code abort} ends it. A failure, or a cancel ({@link SessionActor#cancelAddress}),
 * ends the session.
 */
final class FitSession<S> extends SessionActor {

  private final StageKind<S> kind;
  private final StageKind.Fitting<S> fitting;
  private long rows;

  FitSession(String address, StageKind<S> kind, StageKind.Fitting<S> fitting, long idleMs) {
    super(address, idleMs);
    this.kind = kind;
    this.fitting = fitting;
  }

  @Override
  protected Future<?> onBatch(Batch batch) {
    return Blocking.call(vertx, () -> accept(batch)).recover(this::failed);
  }

  private JsonObject accept(Batch batch) {
    fitting.accept(batch);
    rows += batch.rowCount();
    return new JsonObject().put("rows", rows);
  }

  @Override
  protected Future<?> onCommand(String op, JsonObject body) {
    if (op.equals("abort")) {
      end();
      return Future.succeededFuture(new JsonObject().put("aborted", true));
    }
    if (!op.equals("finish")) {
      throw ActorException.badRequest("fit session '" + settings().address() + "': op '" + op
          + "' is unknown; send batches, then finish (or abort)");
    }
    if (rows == 0) {
      end();
      throw ActorException.badRequest(place() + ": no training rows were sent; check the source and the "
          + "train/test split");
    }
    return cancellable(this::finish).recover(this::failed).onComplete(ar -> end());
  }

  private JsonObject finish() throws Exception {
    StageKind.Result<S> done = fitting.finish();
    S artifact = done.artifact();
    var state = kind.state(artifact);
    String id = kind.id(artifact);
    StateStore.of(vertx, kind.kind().idKey()).put(id, state);
    var loaded = kind.loaded(artifact, id, StateStore.origin(vertx));
    return new StageProtocol.Fitted(loaded, done.rows(), done.rowsWithoutLabel(), state, kind.coefficients(artifact),
        done.fit()).toJson();
  }

  private String place() {
    return kind.kind().idKey() + " fit";
  }

  private <T> Future<T> failed(Throwable t) {
    end();
    return Future.failedFuture(Failures.map(cancelledAs(t), place()));
  }

  @Override
  protected void release() {
    fitting.release();
  }
}
