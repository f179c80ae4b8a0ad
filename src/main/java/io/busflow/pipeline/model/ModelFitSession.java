package io.busflow.pipeline.model;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowBlocks;
import io.busflow.data.model.LogisticRegression;
import io.busflow.data.model.Model;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One model fit: keeps the feature batches sent (in batch-index order at the end, so the result does not
 * depend on arrival order; the pieces of a partitioned read in file order), then fits on {@code finish},
 * over {@link ModelProtocol.Fit#rowBlocks} row blocks at once. Rows without a label are left out and counted.
 */
final class ModelFitSession extends SessionActor {

  private final ModelProtocol.Fit fit;
  private final List<Batch> kept = new ArrayList<>();
  private long rows;

  ModelFitSession(String address, ModelProtocol.Fit fit, long idleMs) {
    super(address, idleMs);
    this.fit = fit;
  }

  @Override
  protected Future<?> onBatch(Batch batch) {
    if (!batch.has(fit.label())) {
      end();
      throw ActorException.badRequest("model fit: the batch has no label column '" + fit.label() + "'; columns are "
          + batch.columnNames() + "; send the label with the features");
    }
    kept.add(batch);
    rows += batch.rowCount();
    return Future.succeededFuture(new JsonObject().put("rows", rows));
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
    return cancellable(this::finish)
        .recover(t -> Future.failedFuture(Failures.map(cancelledAs(t), "model fit")))
        .onComplete(ar -> end());
  }

  private JsonObject finish() throws Exception {
    Batch all = Batches.drain(kept);
    if (all == null || all.rowCount() == 0) {
      throw ActorException.badRequest("model fit: no training rows were sent; check the source and the "
          + "train/test split");
    }
    Batch labelled = withLabel(all);
    if (labelled.rowCount() == 0) {
      throw ActorException.badRequest("model fit: every training row lacks a label in '" + fit.label()
          + "'; fill the label column");
    }
    Model m = RowBlocks.within(fit.rowBlocks(), () -> fit.spec().fit(features(labelled), labelled.column(fit.label())));
    StateStore.of(vertx, ModelActor.STORE).put(m.version(), m.toState());
    return fitted(m, labelled.rowCount(), all.rowCount() - labelled.rowCount());
  }

  private Batch withLabel(Batch all) {
    Column label = all.column(fit.label());
    int[] keep = new int[all.rowCount()];
    int n = 0;
    for (int i = 0; i < all.rowCount(); i++) {
      if (!label.isMissing(i)) {
        keep[n++] = i;
      }
    }
    return n == all.rowCount() ? all : all.selectRows(java.util.Arrays.copyOf(keep, n));
  }

  private Batch features(Batch labelled) {
    Set<String> drop = new HashSet<>(fit.exclude());
    drop.add(fit.label());
    return labelled.drop(drop);
  }

  private JsonObject fitted(Model m, long used, long withoutLabel) {
    JsonObject out = ModelActor.described(m).put("from", StateStore.origin(vertx)).put("rows", used)
        .put("rowsWithoutLabel", withoutLabel).put("state", JsonShapes.toJson(m.toState()));
    ModelProtocol.withCoefficients(out, m);
    if (m instanceof LogisticRegression lr) {
      if (lr.fitInfo() != null) {
        out.put("fit", new JsonObject().put("n_iter", lr.fitInfo().nIter()).put("converged", lr.fitInfo().converged()));
      }
    }
    return out;
  }

  @Override
  protected void release() {
    kept.clear();
  }
}
