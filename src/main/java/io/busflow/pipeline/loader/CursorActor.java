package io.busflow.pipeline.loader;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.io.BatchReader;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.protocol.BatchJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One open cursor: owns a {@link BatchReader} and hands out its batches one {@code next} at a time. After
 * answering a batch it reads the following one ahead, on its own worker context, so the file is read while
 * the previous batch travels: memory holds at most one batch more than was asked for. At the end of the
 * file, on {@code close}, on a read failure or when idle it closes the reader and undeploys.
 */
final class CursorActor extends SessionActor {

  private final BatchReader reader;
  private final String source;
  private Batch ahead;
  private RuntimeException aheadFailure;
  private boolean readingAhead;

  CursorActor(String address, BatchReader reader, String source, long idleMs) {
    super(address, idleMs);
    this.reader = reader;
    this.source = source;
  }

  @Override
  protected Future<?> onBatch(Batch batch) {
    throw ActorException.badRequest("cursor '" + settings().address() + "' takes next and close, not batches");
  }

  @Override
  protected Future<?> onCommand(String op, JsonObject body) {
    return switch (op) {
      case "next" -> onNext("json".equals(body.getString("as")));
      case "close" -> onClose();
      default -> throw ActorException.badRequest("cursor '" + settings().address() + "': op '" + op
          + "' is unknown; use next or close");
    };
  }

  private Future<?> onNext(boolean asJson) {
    return Blocking.call(vertx, this::take)
        .<Object>map(b -> b == null ? finished() : asJson ? json(b) : readAheadAfter(b))
        .recover(t -> {
          end();
          return Future.failedFuture(Failures.map(t, null));
        });
  }

  /** The batch read ahead, or the next one read now. */
  private Batch take() {
    if (aheadFailure != null) {
      throw aheadFailure;
    }
    Batch b = ahead != null ? ahead : reader.next();
    ahead = null;
    return b;
  }

  private Batch readAheadAfter(Batch b) {
    Context ctx = vertx.getOrCreateContext();
    if (!readingAhead && ctx.isWorkerContext()) {
      readingAhead = true;
      ctx.runOnContext(v -> readAhead());
    }
    return b;
  }

  private void readAhead() {
    readingAhead = false;
    if (ahead != null || aheadFailure != null) {
      return;
    }
    try {
      ahead = reader.next();
    } catch (RuntimeException e) {
      aheadFailure = e;
    }
  }

  private JsonObject finished() {
    end();
    return LoaderProtocol.Summary.of(source, reader, true).toJson();
  }

  private static JsonObject json(Batch b) {
    return new JsonObject().put("done", false).put("index", b.index()).put("firstRow", b.firstRow())
        .put("rows", BatchJson.toRows(b));
  }

  private Future<?> onClose() {
    end();
    return Future.succeededFuture(LoaderProtocol.Summary.of(source, reader, false).toJson());
  }

  @Override
  protected void release() {
    ahead = null;
    reader.close();
  }
}
