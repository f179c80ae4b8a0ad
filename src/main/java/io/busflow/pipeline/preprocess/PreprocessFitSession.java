package io.busflow.pipeline.preprocess;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.transform.Fitter;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One preprocessor fit over a stream of batches. A one-pass spec streams into a {@link Fitter} (memory
 * per column, not per row): one per piece of a partitioned read ({@link Batches#piece}) when its fitters
 * merge, merged in piece order at the end; a spec that needs more passes keeps the batches and fits them at
 * the end in batch-index order (pieces in file order). On {@code finish} the fitted state is stored on this
 * node and returned; a failure ends the session.
 */
final class PreprocessFitSession extends SessionActor {

  private final Preprocessor.Spec spec;
  private final boolean onePass;
  private final boolean mergeable;
  private final TreeMap<Integer, Fitter<Preprocessor>> fitters = new TreeMap<>();
  private final List<Batch> kept = new ArrayList<>();
  private long rows;

  PreprocessFitSession(String address, Preprocessor.Spec spec, long idleMs) {
    super(address, idleMs);
    this.spec = spec;
    this.onePass = spec.passes() == 1;
    this.mergeable = spec.mergeable();
  }

  @Override
  protected Future<?> onBatch(Batch batch) {
    return Blocking.call(vertx, () -> accept(batch)).recover(this::failed);
  }

  private JsonObject accept(Batch batch) {
    if (onePass) {
      fitters.computeIfAbsent(mergeable ? Batches.piece(batch) : 0, p -> spec.fitter()).accept(batch);
    } else {
      kept.add(batch);
    }
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
      throw ActorException.badRequest("preprocessor fit: no training rows were sent; check the source and the "
          + "train/test split");
    }
    return cancellable(this::finish).recover(this::failed).onComplete(ar -> end());
  }

  private JsonObject finish() {
    Preprocessor p = onePass ? merged().finish() : spec.fit(Batches.sorted(kept)::iterator);
    kept.clear();
    fitters.clear();
    Map<String, Object> state = p.toState();
    String id = PreprocessorActor.idOf(state);
    StateStore.of(vertx, PreprocessorActor.STORE).put(id, state);
    return new JsonObject().put("preprocessor", id).put("from", StateStore.origin(vertx)).put("features", new JsonArray(List.copyOf(p.featureNames())))
        .put("rows", rows).put("state", JsonShapes.toJson(state));
  }

  /** The pieces' fitters merged in piece order into the first. */
  private Fitter<Preprocessor> merged() {
    Fitter<Preprocessor> first = fitters.pollFirstEntry().getValue();
    fitters.values().forEach(first::merge);
    return first;
  }

  private <T> Future<T> failed(Throwable t) {
    end();
    return Future.failedFuture(Failures.map(cancelledAs(t), "preprocessor fit"));
  }

  @Override
  protected void release() {
    kept.clear();
    fitters.clear();
  }
}
