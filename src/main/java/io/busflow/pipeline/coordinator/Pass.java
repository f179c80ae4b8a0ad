package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * One pass over a cursor with at most {@code window} batches in flight: a batch counts from the moment it
 * is asked of the loader until its sink has taken it. Each batch goes through {@code stage} (any number at
 * once, completing in any order), then through {@code sink} one at a time in batch-index order. A slow
 * stage or sink therefore slows the reading instead of piling batches up. The first failure ends the pass
 * (the cursor is closed, later results are dropped). Confined to the coordinator's context.
 *
 * @param <T> what the stage makes of a batch
 */
final class Pass<T> {

  private final Cursor cursor;
  private final int window;
  private final Function<Batch, Future<T>> stage;
  private final Function<T, Future<Void>> sink;
  private final BooleanSupplier cancelled;
  private final LongConsumer rowsRead;
  private final Promise<LoaderProtocol.Summary> done = Promise.promise();
  private final Map<Long, T> ready = new HashMap<>();
  private long nextIndex;
  private int inFlight;
  private boolean reading;
  private boolean sinking;
  private boolean eof;
  private boolean finished;
  private LoaderProtocol.Summary summary;

  Pass(Cursor cursor, int window, Function<Batch, Future<T>> stage, Function<T, Future<Void>> sink,
      BooleanSupplier cancelled, LongConsumer rowsRead) {
    this.cursor = cursor;
    this.window = window;
    this.stage = stage;
    this.sink = sink;
    this.cancelled = cancelled;
    this.rowsRead = rowsRead;
  }

  /** Runs the pass; completes with the cursor's summary once every batch went through the sink. */
  Future<LoaderProtocol.Summary> run() {
    pump();
    return done.future();
  }

  private void pump() {
    if (finished) {
      return;
    }
    if (cancelled.getAsBoolean()) {
      fail(new JobCancelledException());
      return;
    }
    if (reading || eof || inFlight >= window) {
      maybeDone();
      return;
    }
    reading = true;
    inFlight++;
    cursor.next().onComplete(this::onRead);
  }

  private void onRead(AsyncResult<Object> ar) {
    reading = false;
    if (ar.failed()) {
      fail(ar.cause());
    } else if (ar.result() instanceof Batch b) {
      rowsRead.accept(b.rowCount());
      process(b);
      pump();
    } else {
      summary = LoaderProtocol.Summary.fromJson((io.vertx.core.json.JsonObject) ar.result());
      eof = true;
      inFlight--;
      maybeDone();
    }
  }

  private void process(Batch b) {
    Future<T> staged;
    try {
      staged = stage.apply(b);
    } catch (RuntimeException e) {
      staged = Future.failedFuture(e);
    }
    staged.onComplete(ar -> onStaged(b.index(), ar));
  }

  private void onStaged(long index, AsyncResult<T> ar) {
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    ready.put(index, ar.result());
    flush();
  }

  private void flush() {
    if (sinking || finished || !ready.containsKey(nextIndex)) {
      return;
    }
    sinking = true;
    Future<Void> taken;
    try {
      taken = sink.apply(ready.remove(nextIndex));
    } catch (RuntimeException e) {
      taken = Future.failedFuture(e);
    }
    taken.onComplete(this::onSunk);
  }

  private void onSunk(AsyncResult<Void> ar) {
    sinking = false;
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    nextIndex++;
    inFlight--;
    flush();
    pump();
  }

  private void maybeDone() {
    if (eof && inFlight == 0 && !finished) {
      finished = true;
      done.complete(summary);
    }
  }

  private void fail(Throwable t) {
    if (!finished) {
      finished = true;
      ready.clear();
      cursor.close();
      done.fail(t);
    }
  }
}
