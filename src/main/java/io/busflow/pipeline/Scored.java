package io.busflow.pipeline;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import java.util.Map;

/**
 * One batch through preprocessing and the model.
 *
 * @param labels      the true labels of its rows, or null when not known
 * @param predictions the model's batch (id column first when asked for)
 * @param unknown     one-hot values met that were not a fitted level, per column
 */
record Scored(Column labels, Batch predictions, Map<String, Long> unknown) {

  /** Transforms then predicts {@code rows}; {@code labels} of those rows may be null. */
  static io.vertx.core.Future<Scored> of(StageClient stages, Batch rows, Column labels, String idColumn) {
    return stages.transform(rows).compose(t -> stages.predict(t.features(), idColumn)
        .map(p -> new Scored(labels, p.predictions(), t.unknownLevels())));
  }
}
