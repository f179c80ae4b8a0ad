package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.io.BatchWriter;
import io.busflow.data.io.BatchWriters;
import io.busflow.data.io.WriteOptions;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;

/**
 * The output file of one job, written through the job's own single-thread worker executor, so that writes
 * run off the event loop, one at a time, in the order they were asked for. All or nothing: rows go to a
 * temporary file that {@link #commit()} renames onto the target; {@link #abort()} deletes it.
 */
final class OutputSink {

  private final WorkerExecutor executor;
  private final BatchWriter writer;

  private OutputSink(WorkerExecutor executor, BatchWriter writer) {
    this.executor = executor;
    this.writer = writer;
  }

  static Future<OutputSink> open(WorkerExecutor executor, Path target, WriteOptions options) {
    return executor.executeBlocking(() -> new OutputSink(executor, BatchWriters.open(target, options)), true);
  }

  Future<Void> write(Batch batch) {
    return executor.executeBlocking(() -> {
      writer.write(batch);
      return null;
    }, true);
  }

  /** Renames the file onto its target; completes with the rows written. */
  Future<Long> commit() {
    return executor.executeBlocking(() -> {
      writer.commit();
      return writer.rowsWritten();
    }, true);
  }

  Future<Void> abort() {
    return executor.executeBlocking(() -> {
      writer.abort();
      return null;
    }, true);
  }
}
