package io.busflow.pipeline.stage;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fit over a stream of batches, for a stage of any kind: each batch goes to the kind's {@link StageKind.Fitting}
 * (reply {@code {"rows":n}}, the rows received so far); on {@code finish} the fitted artifact is stored on this node
 * and the reply is its {@link StageProtocol.Fitted}; {@code abort} ends it.
 *
 * <p>Batches of different lanes ({@link StageKind.Fitting#lane}: the pieces of a partitioned read) are accepted at
 * once on worker threads, those of one lane one at a time in the order they came, so that a fit fed by many pieces
 * is not one thread's work. A batch is answered once its lane's previous batch is in: each lane holds at most the
 * batch being accepted and the one waiting. A batch that fails fails the next request of its lane, and {@code finish}
 * with the failure of the first lane that failed (the one nearest the start of the source); a failed {@code finish}
 * or a cancel ({@link SessionActor#cancelAddress}) ends the session. What the fit keeps ({@link
 * StageKind.Fitting#keptBytes}) is counted in this JVM's {@link FitMemory} before each batch (what accepting it will
 * keep, where the fit can tell) and after it: the batch that takes it past the bound fails with {@code TOO_LARGE},
 * and the session gives it all back when it ends.
 */
final class FitSession<S> extends SessionActor {

  private final StageKind<S> kind;
  private final StageKind.Fitting<S> fitting;
  /** Per lane, its last batch's accept; a lane's next accept starts when it ends. */
  private final Map<Integer, Future<Void>> lanes = new HashMap<>();
  /** Per lane that failed, its first failure. */
  private final TreeMap<Integer, Throwable> failures = new TreeMap<>();
  /** What the fit keeps, counted in this JVM's bound on fit memory. */
  private final FitMemory.Share memory;
  private long rows;

  FitSession(String address, StageKind<S> kind, StageKind.Fitting<S> fitting, long idleMs, FitMemory.Share memory) {
    super(address, idleMs);
    this.kind = kind;
    this.fitting = fitting;
    this.memory = memory;
  }

  @Override
  protected Future<?> onBatch(Batch batch) {
    int lane;
    try {
      lane = fitting.lane(batch);
    } catch (RuntimeException e) {
      return Future.failedFuture(Failures.map(e, place()));
    }
    if (failures.containsKey(lane)) {
      return Future.failedFuture(failures.get(lane));
    }
    rows += batch.rowCount();
    long received = rows;
    Future<Void> before = lanes.getOrDefault(lane, Future.succeededFuture());
    Future<Void> accepted = before.compose(v -> vertx.<Void>executeBlocking(() -> {
      memory.hold(fitting.keptBytesWith(batch), place(), received, fitting.keptDetail());
      fitting.accept(batch);
      memory.hold(fitting.keptBytes(), place(), received, fitting.keptDetail());
      return null;
    }, false)).onFailure(t -> failures.putIfAbsent(lane, Failures.map(t, place())));
    lanes.put(lane, accepted);
    return before.transform(ar -> failures.containsKey(lane) ? Future.failedFuture(failures.get(lane))
        : Future.succeededFuture(new JsonObject().put("rows", received)));
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
    return allAccepted().compose(v -> failures.isEmpty() ? cancellable(this::finish)
        : Future.<JsonObject>failedFuture(failures.firstEntry().getValue())).recover(this::failed)
        .onComplete(ar -> end());
  }

  /** Completes when every lane's last accept has ended, failed or not. */
  private Future<Void> allAccepted() {
    return Future.join(new ArrayList<>(lanes.values())).transform(ar -> Future.succeededFuture());
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

  /** Frees the fit once no lane is accepting a batch. */
  @Override
  protected void release() {
    allAccepted().onComplete(ar -> {
      fitting.release();
      memory.release();
    });
  }
}
