package io.busflow.pipeline.stage;

import io.busflow.data.Batch;
import io.busflow.data.io.DataRoots;
import io.busflow.pipeline.protocol.StageProtocol;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What makes the generic {@link StageActor} a preprocessor or a model: how a fitted artifact ({@code S}) is built
 * from its state and named, what applying it to a batch means, and what fitting one means. Implementations are
 * stateless and shared by every instance; every method but {@link #kind()} may block (the actor calls them on a
 * worker thread).
 *
 * @param <S> the fitted artifact, built once per instance from its state
 */
interface StageKind<S> {

  /** The stage's kind: its address, its fit sessions' prefix, the JSON key of its ids. */
  StageProtocol.Kind kind();

  /** The artifact that {@code state} describes; a state naming a file reads it from {@code roots}. */
  S build(Map<String, Object> state, DataRoots roots) throws IOException;

  /** The artifact's state, JSON-shaped: what is stored, saved and sent to other nodes. */
  Map<String, Object> state(S artifact);

  /** The artifact's id: a content hash of its state, the same on every node. */
  String id(S artifact);

  /** What a load or fit reply says of the artifact. */
  StageProtocol.Loaded loaded(S artifact, String id, String from);

  /** The artifact's named coefficients ({@link StageProtocol.Fitted#coefficients()}), or null when it has none. */
  List<Object> coefficients(S artifact);

  /** Applies the artifact to the batch of {@code request} (one of this kind's {@link StageProtocol.Applying}s). */
  StageProtocol.Applied apply(S artifact, StageProtocol.Applying request, String node) throws IOException;

  /** The columns {@link #apply} makes from {@code rows} with {@code artifact}: as many as it has by default. */
  default int outputColumns(S artifact, Batch rows) {
    return rows.columns().size();
  }

  /** A fit in progress for {@code fit} (one of this kind's {@link StageProtocol.Fit}s): the spec is parsed here. */
  Fitting<S> fitting(StageProtocol.Fit fit);

  /**
   * One fit over a stream of batches, held by a {@link FitSession}. {@link #started}, {@link #lane}, {@link #finish}
   * and {@link #release} are called one at a time; {@link #accept} one batch at a time per lane, batches of different
   * lanes at once on different threads, and never beside {@code finish} or {@code release}.
   */
  interface Fitting<S> {

    /** The reply to the fit request, for the session at {@code session}. */
    StageProtocol.FitStarted started(String session);

    /**
     * The lane of {@code batch}, called before it is {@link #accept}ed: a fit that keeps a partial result per piece
     * of a partitioned read ({@link io.busflow.pipeline.internal.Batches#piece}) takes the pieces at once, each in
     * its own lane; a lane's batches are accepted in the order they came. One lane (0) by default.
     */
    default int lane(Batch batch) {
      return 0;
    }

    /** Takes one training batch; an expected failure is an {@link io.busflow.actor.ActorException}. */
    void accept(Batch batch);

    /** The fitted artifact, once every batch is in; may check {@link io.busflow.data.Cancellation}. */
    Result<S> finish() throws Exception;

    /**
     * An estimate of the bytes held that grow with the rows accepted (kept rows, a median's values); called after
     * each {@link #accept}, possibly while other lanes accept. 0 by default.
     */
    default long keptBytes() {
      return 0;
    }

    /**
     * An estimate of {@link #keptBytes} once {@code batch} is accepted, asked before accepting it, so that a fit
     * about to allocate past the bound refuses the batch before allocating; {@link #keptBytes} by default (the growth
     * is then seen after the batch).
     */
    default long keptBytesWith(Batch batch) {
      return keptBytes();
    }

    /** What part of {@link #keptBytes} is not rows, for a refusal's message ({@code ""}: none). */
    default String keptDetail() {
      return "";
    }

    /** Frees the batches and partial fits held. */
    void release();
  }

  /**
   * A finished fit: the artifact, the rows it was fitted on, the rows left out for want of a label, and what the
   * fit said about itself (may be null).
   */
  record Result<S>(S artifact, long rows, long rowsWithoutLabel, Map<String, Object> fit) {}
}
