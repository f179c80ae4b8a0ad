package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.io.BatchWriter;
import io.busflow.data.io.BatchWriters;
import io.busflow.data.io.PartFiles;
import io.busflow.data.io.WriteOptions;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of a partitioned scoring pass: one part file per partition, written in parallel (each through
 * its own single-thread worker executor, so that its writes stay in order) in a hidden directory beside the
 * target. {@link #commit()} publishes them all at once — joined in partition order into the target file, or
 * with {@code output.parts} moved into place as the directory {@code target/part-00000.csv …}, each part with
 * its header — and {@link #abort()} deletes every part: nothing partial is ever visible at the target.
 * Confined to the coordinator's context.
 */
final class PartSinks {

  private final JobContext ctx;
  private final Path target;
  private final boolean directory;
  private final WriteOptions options;
  private final Path dir;
  private final List<WorkerExecutor> executors = new ArrayList<>();
  private final List<OutputSink> sinks = new ArrayList<>();
  private final long[] rows;
  /** The columns of the output as a batch of no rows, from the first batch written; null before. */
  private Batch layout;

  private PartSinks(JobContext ctx, Path target, boolean directory, WriteOptions options, Path dir, int parts) {
    this.ctx = ctx;
    this.target = target;
    this.directory = directory;
    this.options = options;
    this.dir = dir;
    this.rows = new long[parts];
  }

  /** Creates the hidden directory and the writers of {@code parts} parts of {@code target}. */
  static Future<PartSinks> open(JobContext ctx, Path target, boolean directory, WriteOptions options, int parts) {
    return ctx.executor.executeBlocking(() -> PartFiles.createDirectory(target, !directory), true)
        .compose(dir -> {
          PartSinks s = new PartSinks(ctx, target, directory, options, dir, parts);
          return s.openAll(parts).map(s).recover(t -> s.abort().transform(ar -> Future.failedFuture(t)));
        });
  }

  private Future<Void> openAll(int parts) {
    List<Future<OutputSink>> opened = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      WorkerExecutor e = ctx.vertx.createSharedWorkerExecutor("busflow-job-" + ctx.job + "-part-" + p, 1);
      executors.add(e);
      opened.add(OutputSink.open(e, part(p), options.withHeader(directory)));
    }
    return Future.join(opened).transform(ar -> {
      opened.stream().filter(Future::succeeded).forEach(f -> sinks.add(f.result()));
      return ar.succeeded() ? Future.succeededFuture() : Future.failedFuture(ar.cause());
    });
  }

  private Path part(int p) {
    return dir.resolve(PartFiles.partName(target, p));
  }

  /** Writes {@code batch} to part {@code p}, after the batches written to it before. */
  Future<Void> write(int p, Batch batch) {
    if (layout == null) {
      layout = batch.slice(0, 0);
    }
    rows[p] += batch.rowCount();
    return sinks.get(p).write(batch);
  }

  /** Commits every part and publishes them; completes with the rows written. */
  Future<Long> commit() {
    List<Future<Long>> committed = new ArrayList<>();
    sinks.forEach(s -> committed.add(s.commit()));
    return Future.all(committed)
        .compose(v -> ctx.executor.executeBlocking(this::publish, true))
        .eventually(this::closeExecutors);
  }

  private Long publish() {
    long total = 0;
    for (long r : rows) {
      total += r;
    }
    if (directory) {
      headersOfEmptyParts();
      PartFiles.publishDirectory(dir, target);
      return total;
    }
    List<Path> parts = new ArrayList<>();
    if (options.header() && layout != null) {
      parts.add(writeLayout(dir.resolve("header-" + PartFiles.partName(target, 0))));
    }
    for (int p = 0; p < rows.length; p++) {
      parts.add(part(p));
    }
    PartFiles.join(parts, target);
    PartFiles.deleteQuietly(dir);
    return total;
  }

  /** A part without rows still names the columns, like every other part of the directory. */
  private void headersOfEmptyParts() {
    for (int p = 0; p < rows.length && layout != null; p++) {
      if (rows[p] == 0) {
        writeLayout(part(p));
      }
    }
  }

  private Path writeLayout(Path file) {
    try (BatchWriter w = BatchWriters.open(file, options.withHeader(true))) {
      w.write(layout);
      w.commit();
    }
    return file;
  }

  /** Drops every part; never fails. */
  Future<Void> abort() {
    List<Future<Void>> aborted = new ArrayList<>();
    sinks.forEach(s -> aborted.add(s.abort().recover(t -> Future.succeededFuture())));
    return Future.join(aborted)
        .transform(ar -> ctx.executor.executeBlocking(() -> {
          PartFiles.deleteQuietly(dir);
          return (Void) null;
        }, true))
        .recover(t -> Future.succeededFuture())
        .eventually(this::closeExecutors);
  }

  private Future<Void> closeExecutors() {
    List<Future<Void>> closed = new ArrayList<>();
    executors.forEach(e -> closed.add(e.close().recover(t -> Future.succeededFuture())));
    executors.clear();
    return Future.join(closed).mapEmpty();
  }
}
