package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorRef;
import io.busflow.data.Batch;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The coordinator's handle on one loader cursor. Confined to the coordinator's context. */
final class Cursor {

  private final ActorRef ref;
  private final LoaderProtocol.Opened opened;
  private final LoaderProtocol.Open request;
  private boolean ended;

  private Cursor(ActorRef ref, LoaderProtocol.Opened opened, LoaderProtocol.Open request) {
    this.ref = ref;
    this.opened = opened;
    this.request = request;
  }

  /** Opens a cursor at the loader. */
  static Future<Cursor> open(Refs refs, LoaderProtocol.Open request) {
    return refs.to(LoaderProtocol.ADDRESS).<JsonObject>ask(request.toJson())
        .map(LoaderProtocol.Opened::fromJson)
        .map(o -> new Cursor(refs.to(o.cursor()), o, request));
  }

  LoaderProtocol.Opened opened() {
    return opened;
  }

  /** The request this cursor was opened with. */
  LoaderProtocol.Open request() {
    return request;
  }

  /** The next batch, or the final summary (a {@code JsonObject}); after a summary or a failure the cursor has ended. */
  Future<Object> next() {
    return ref.ask("next").onComplete(ar -> ended = ar.failed() || !(ar.result() instanceof Batch));
  }

  /** Closes the cursor unless it has ended; never fails. */
  void close() {
    if (!ended) {
      ended = true;
      ref.ask(new JsonObject().put("op", "close")).recover(t -> Future.succeededFuture());
    }
  }
}
