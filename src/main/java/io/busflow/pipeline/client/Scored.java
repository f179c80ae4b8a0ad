package io.busflow.pipeline.client;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch through preprocessing and the model.
 *
 * @param labels      the true labels of its rows, or null when not known
 * @param predictions the model's batch (id column first when asked for)
 * @param unknown     one-hot values met that were not a fitted level, per column
 */
public record Scored(Column labels, Batch predictions, Map<String, Long> unknown) {

  /**
   * Transforms then predicts {@code rows} in one request ({@link StageClient#transformPredict}); {@code labels}
   * of those rows may be null. The id column stays here: the stages get the rows without it (across the
   * cluster, ids are the costliest column to encode and decode), and it is put back in front of the predictions.
   */
  public static io.vertx.core.Future<Scored> of(StageClient stages, Batch rows, Column labels, String idColumn) {
    boolean keepIds = idColumn != null && rows.has(idColumn);
    Batch sent = keepIds ? rows.drop(Set.of(idColumn)) : rows;
    return stages.transformPredict(sent).map(r -> {
      Batch p = r.predicted().predictions();
      return new Scored(labels, keepIds ? withIds(rows.column(idColumn), p) : p, r.unknownLevels());
    });
  }

  private static Batch withIds(Column ids, Batch predictions) {
    List<Column> columns = new ArrayList<>(predictions.columns().size() + 1);
    columns.add(ids);
    columns.addAll(predictions.columns());
    return predictions.withOnly(columns);
  }
}
