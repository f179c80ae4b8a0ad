package io.busflow.pipeline.client;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.Actors;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transforms and predicts with one fitted preprocessor and model. Requests name them by reference (id and
 * the node whose store has them): a stage node that does not know them fetches them from that node once
 * ({@link io.busflow.pipeline.internal.StateStore#fetch}); one that cannot answers {@code NOT_FOUND}, and the
 * request is then sent again with the state, which that node keeps. Requests lost with a node are resent through
 * {@link Resends} (a job's, or online predictions'); a client made without one asks once and passes failures on.
 */
public final class StageClient {

  private final Vertx vertx;
  private final Refs refs;
  private final Resends calls;
  private final Fitted fitted;

  /**
   * A fitted preprocessor and model: their ids, the cluster nodes whose stores have them (null on one node), and
   * their states as JSON text — sent only to a stage that can get them neither from its node nor from those.
   */
  public record Fitted(String preprocessor, String preprocessorFrom, String preprocessorState, String model, String modelFrom,
                String modelState) {
    /** The fitted preprocessor and model that the replies of their fit or load name; {@code model} may be null. */
    public static Fitted of(StageProtocol.Loaded pre, String preState, StageProtocol.Loaded model, String modelState) {
      return new Fitted(pre.id(), pre.from(), preState, model == null ? null : model.id(),
          model == null ? null : model.from(), modelState);
    }
  }

  /** A client that asks each stage once, for requests that have a caller waiting (no resends). */
  public StageClient(Refs refs, Fitted fitted) {
    this(refs, null, fitted);
  }

  /** A client whose requests {@code calls} resends when their node is lost (a job's). */
  public StageClient(Refs refs, Resends calls, Fitted fitted) {
    this.vertx = refs.vertx();
    this.refs = refs;
    this.calls = calls;
    this.fitted = fitted;
  }

  /** The fitted preprocessor and model this client asks with. */
  public Fitted fitted() {
    return fitted;
  }

  /**
   * Transforms {@code batch} and predicts on its features in one request to the preprocessor, which hands
   * the features to the model itself ({@link StageProtocol.TransformPredict}): across a cluster only
   * the rows and the predictions cross the wire. Resent like the others; a node that knows neither state
   * gets both.
   */
  public Future<StageProtocol.TransformPredicted> transformPredict(Batch batch) {
    if (!encodeAhead()) {
      return transformPredictNow(batch);
    }
    return vertx.executeBlocking(() -> BatchSerde.encode(batch), false).compose(bytes -> transformPredictNow(batch));
  }

  /**
   * Whether batches for the preprocessor are encoded on a worker thread before they are sent: when every
   * preprocessor is on another node, they will be, and Vert.x would otherwise encode them on the event loop
   * that writes to that node — the coordinator's, which then could not take the loader's next batch.
   */
  private boolean encodeAhead() {
    return vertx.isClustered() && !Actors.runsHere(vertx, StageProtocol.PREPROCESS_ADDRESS);
  }

  private Future<StageProtocol.TransformPredicted> transformPredictNow(Batch batch) {
    var request = new StageProtocol.TransformPredict(
        new StageProtocol.Transform(fitted.preprocessor(), batch).from(fitted.preprocessorFrom()),
        fitted.model(), null, fitted.modelFrom());
    Supplier<Future<StageProtocol.TransformPredicted>> send = () -> {
      ActorRef preprocess = refs.to(StageProtocol.PREPROCESS_ADDRESS);
      return preprocess.<StageProtocol.TransformPredicted>ask(request)
          .recover(t -> notFound(t) ? preprocess.ask(request.withStates(fitted.preprocessorState(), fitted.modelState()))
              : Future.failedFuture(t));
    };
    if (calls == null) {
      return send.get();
    }
    return calls.ask(List.of(StageProtocol.PREPROCESS_ADDRESS, StageProtocol.MODEL_ADDRESS), send).onSuccess(r -> {
      calls.servedBy(StageProtocol.PREPROCESS_ADDRESS, r.node());
      calls.servedBy(StageProtocol.MODEL_ADDRESS, r.predicted().node());
    });
  }

  /** Transforms {@code batch}; resent to another instance when the one asked is lost ({@link Resends}). */
  public Future<StageProtocol.Transformed> transform(Batch batch) {
    var request = new StageProtocol.Transform(fitted.preprocessor(), batch).from(fitted.preprocessorFrom());
    return via(StageProtocol.PREPROCESS_ADDRESS, () -> {
      ActorRef preprocess = refs.to(StageProtocol.PREPROCESS_ADDRESS);
      return preprocess.<StageProtocol.Transformed>ask(request)
          .recover(t -> notFound(t) ? preprocess.ask(request.withState(fitted.preprocessorState()))
              : Future.failedFuture(t));
    }, StageProtocol.Transformed::node);
  }

  private <R> Future<R> via(String stage, Supplier<Future<R>> send, Function<R, String> node) {
    if (calls == null) {
      return send.get();
    }
    return calls.ask(stage, send).onSuccess(r -> calls.servedBy(stage, node.apply(r)));
  }

  private static boolean notFound(Throwable t) {
    return t instanceof ActorException e && e.code() == ErrorCode.NOT_FOUND;
  }
}
