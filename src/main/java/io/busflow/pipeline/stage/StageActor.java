package io.busflow.pipeline.stage;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.busflow.config.ConfigReader;
import io.busflow.config.Threading;
import io.busflow.data.Batch;
import io.busflow.pipeline.internal.AtomicFiles;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.BoundedCache;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.internal.StateStore;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A stage: answers {@link StageProtocol} at its kind's address — the preprocessor ({@link #preprocessor()}) or the
 * model ({@link #model()}); what differs between them is a {@link StageKind}. Fitted states are shared by every
 * instance on a node ({@link StateStore}); each instance builds its own artifacts from them (at most 16 and
 * {@code storeBytes}). A request may name the node that has a state it lacks: it is fetched from there, once per
 * node. Applying, fitting and file access run on worker threads; a fit runs in a {@link FitSession} at an address
 * of its own. A {@link StageProtocol.TransformPredict} is handed to the model once transformed, with what is left of
 * its deadline, and the instance takes its next request while the model works ({@link #replyLater}). Options:
 * those of {@link StageOptions}, and {@code inlineRows}.
 *
 * <p>An instance on an event loop applies a batch of at most {@code inlineRows} rows in place, once it has built the
 * artifact. A {@code per-loop} instance does only that: it hands every other request to the shared instances at its
 * address, and leaves the node's store bounds to them.
 */
public final class StageActor<S> extends Actor<StageProtocol.Request> {

  private static final int LOCAL_CAPACITY = 16;
  private static final String INLINE_ROWS = "inlineRows";
  private static final String BATCH_MAX_BYTES = "batchMaxBytes";
  /** Default of {@code options.batchMaxBytes}: the most bytes of values a stage makes for one batch at once. */
  public static final long DEFAULT_BATCH_MAX_BYTES = 64L * 1024 * 1024;
  /** Default of {@code options.inlineRows}: batches this small are applied on an event loop, in place. */
  public static final int DEFAULT_INLINE_ROWS = 256;

  private final StageKind<S> kind;
  private final StageProtocol.Kind is;
  /** This instance's built artifacts, by id, sized by their states. */
  private BoundedCache<S> local;
  /** The bound on a state file read by path: a file larger than the store holds is not read. */
  private WholeFiles.Bound stateFiles;
  private StageOptions options;
  private int inlineRows;
  private long batchMaxBytes;
  private String batchMaxBytesPath;
  /** Whether this is a per-loop instance, which applies small batches and forwards the rest. */
  private boolean perLoop;

  private StageActor(StageKind<S> kind) {
    super(kind.kind().address(), e -> StageProtocol.decode(kind.kind(), e));
    this.kind = kind;
    this.is = kind.kind();
  }

  /** The preprocessor stage, at {@link StageProtocol#PREPROCESS_ADDRESS} by default. */
  public static StageActor<?> preprocessor() {
    return new StageActor<>(new PreprocessorKind());
  }

  /** The model stage, at {@link StageProtocol#MODEL_ADDRESS} by default. */
  public static StageActor<?> model() {
    return new StageActor<>(new ModelKind());
  }

  /** {@code preprocess} or {@code model}, as the node's configuration names them. */
  @Override
  protected String defaultName() {
    return is == StageProtocol.Kind.PREPROCESSOR ? "preprocess" : "model";
  }

  @Override
  protected Future<?> onStart() {
    String path = "actors." + settings().name() + ".options";
    options = StageOptions.read(settings().options(), path, INLINE_ROWS, BATCH_MAX_BYTES);
    ConfigReader own = new ConfigReader(settings().options(), path);
    inlineRows = own.integer(INLINE_ROWS, DEFAULT_INLINE_ROWS, 0, 1_000_000);
    batchMaxBytes = own.longValue(BATCH_MAX_BYTES, DEFAULT_BATCH_MAX_BYTES, 1024, Long.MAX_VALUE);
    batchMaxBytesPath = own.path(BATCH_MAX_BYTES);
    perLoop = settings().threading() == Threading.PER_LOOP;
    if (!perLoop) {
      store().limit(options, path); // the node's store is bounded by its shared stages, which keep what they load
    }
    local = new BoundedCache<>("this " + is.idKey() + " instance's cache", path + ".storeBytes", LOCAL_CAPACITY,
        options.storeBytes());
    stateFiles = new WholeFiles.Bound(options.storeBytes(), "this node's " + is.idKey() + " store holds",
        path + ".storeBytes");
    return StateStore.serve(vertx);
  }

  @Override
  protected Future<?> onMessage(StageProtocol.Request request) {
    return dispatch(request).recover(t -> Future.failedFuture(Failures.map(t, null)));
  }

  private Future<?> dispatch(StageProtocol.Request r) {
    if (perLoop && !small(r)) {
      return forward();
    }
    if (r instanceof StageProtocol.TransformPredict tp) {
      return onTransformPredict(tp);
    }
    if (r instanceof StageProtocol.Applying a) {
      return present(a).compose(v -> applying(a, () -> applied(a)));
    }
    if (r instanceof StageProtocol.Fit f) {
      return onFit(f);
    }
    if (r instanceof StageProtocol.Load l) {
      return Blocking.call(vertx, () -> load(l).toJson());
    }
    if (r instanceof StageProtocol.Save s) {
      return Blocking.call(vertx, () -> save(s).toJson());
    }
    return Blocking.call(vertx, () -> describe(((StageProtocol.Describe) r).id()).toJson());
  }

  private StageProtocol.Applied apply(StageProtocol.Applying a) throws IOException {
    S artifact = known(a.id(), a.state());
    int rows = sliceRows(artifact, a.rows());
    if (rows < a.rows().rowCount()) {
      throw tooLarge(a, rows);
    }
    return kind.apply(artifact, a, nodeName());
  }

  /** The most rows of {@code batch} whose output, 8 bytes a value, fits in {@code batchMaxBytes} (at least 1). */
  private int sliceRows(S artifact, Batch batch) {
    long width = Math.max(1, kind.outputColumns(artifact, batch));
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, batchMaxBytes / (Double.BYTES * width)));
  }

  private ActorException tooLarge(StageProtocol.Applying a, int rows) {
    return new ActorException(ErrorCode.TOO_LARGE, is.idKey() + " '" + a.id() + "': "
        + a.rows().rowCount() + " rows would make more than " + FitMemory.mb(batchMaxBytes) + " of values at once, the "
        + "most this stage makes for one batch (" + batchMaxBytesPath + "); send at most " + rows + " rows a batch "
        + "(the pipeline's batchSize), or make fewer features (fewer one-hot levels: maxLevels)");
  }

  private Object applied(StageProtocol.Applying a) throws IOException {
    StageProtocol.Applied reply = apply(a);
    return a.asJson() ? reply.toJson() : reply;
  }

  /**
   * Transforms and has the model predict: at once for a batch whose features fit in {@code batchMaxBytes}, else in
   * slices that do, one after another (this instance is busy meanwhile), their predictions joined in row order.
   */
  private Future<?> onTransformPredict(StageProtocol.TransformPredict r) {
    StageProtocol.Transform t = r.transform();
    return present(t)
        .compose(v -> applying(t, () -> {
          S artifact = known(t.id(), t.state());
          int rows = sliceRows(artifact, t.batch());
          return rows < t.batch().rowCount() ? (Object) rows : kind.apply(artifact, t, nodeName());
        }))
        .compose(done -> {
          if (done instanceof StageProtocol.Transformed whole) {
            return replyLater(predict(r, whole)).map(p -> (Object) p);
          }
          return inSlices(r, (Integer) done, 0, new ArrayList<>()).map(p -> (Object) p);
        });
  }

  private Future<StageProtocol.TransformPredicted> inSlices(StageProtocol.TransformPredict r, int rows, int from,
      List<StageProtocol.TransformPredicted> parts) {
    Batch all = r.transform().batch();
    if (from >= all.rowCount()) {
      return Future.succeededFuture(joined(all, parts));
    }
    StageProtocol.Transform slice = r.transform().withBatch(all.slice(from, Math.min(all.rowCount(), from + rows)));
    return Blocking.call(vertx, () -> (StageProtocol.Transformed) kind.apply(known(slice.id(), slice.state()), slice,
            nodeName()))
        .compose(t -> predict(r, t))
        .compose(part -> {
          parts.add(part);
          return inSlices(r, rows, from + rows, parts);
        });
  }

  /** The slices' predictions as those of {@code all}: its index and first row, the rows in order, levels summed. */
  private static StageProtocol.TransformPredicted joined(Batch all, List<StageProtocol.TransformPredicted> parts) {
    Map<String, Long> unknown = new LinkedHashMap<>();
    List<Batch> predictions = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      parts.get(i).unknownLevels().forEach((c, n) -> unknown.merge(c, n, Long::sum));
      Batch p = parts.get(i).predicted().predictions();
      predictions.add(p.withPosition(i, p.firstRow()));
    }
    Batch rows = Batches.concat(predictions).withPosition(all.index(), all.firstRow());
    StageProtocol.TransformPredicted last = parts.get(parts.size() - 1);
    return new StageProtocol.TransformPredicted(last.preprocessor(), unknown, last.node(),
        new StageProtocol.Predicted(last.predicted().model(), rows, last.predicted().node()));
  }

  /** Whether {@code r} applies an artifact to a batch of at most {@code inlineRows} rows. */
  private boolean small(StageProtocol.Request r) {
    StageProtocol.Applying a = r instanceof StageProtocol.TransformPredict tp ? tp.transform()
        : r instanceof StageProtocol.Applying x ? x : null;
    return a != null && a.rows().rowCount() <= inlineRows;
  }

  /**
   * Hands the current request, as it came, to the shared instances at this stage's address, within what is left of
   * its deadline: a per-loop instance applies small batches only, and fits, loads, saves and large batches are the
   * shared instances' work, under their options. The ask goes to them, not to another per-loop instance on this
   * loop, because this instance is in the middle of the request while it asks.
   */
  private Future<?> forward() {
    Duration left = Duration.ofMillis(Math.max(1, envelope().remainingMillis()));
    return replyLater(ref(settings().address()).withTimeout(left).ask(envelope().body()));
  }

  /**
   * Runs {@code work}, applying {@code a}: right here when this instance runs on an event loop, the artifact is
   * built already and the batch has at most {@code inlineRows} rows (microseconds of arithmetic, cheaper than a
   * hand-off to a worker thread); else where it may block ({@link Blocking}).
   */
  private <T> Future<T> applying(StageProtocol.Applying a, Callable<T> work) {
    if (Context.isOnEventLoopThread() && a.rows().rowCount() <= inlineRows && local.get(a.id()) != null) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return Blocking.call(vertx, work);
  }

  /** Asks the model for the predictions of {@code t}, within what is left of the request's deadline. */
  private Future<StageProtocol.TransformPredicted> predict(StageProtocol.TransformPredict r, StageProtocol.Transformed t) {
    ActorRef model = ref(StageProtocol.MODEL_ADDRESS)
        .withTimeout(Duration.ofMillis(Math.max(1, envelope().remainingMillis())));
    return model.<StageProtocol.Predicted>ask(r.predict(t.features())).map(p ->
        new StageProtocol.TransformPredicted(t.preprocessor(), t.unknownLevels(), nodeName(), p));
  }

  /**
   * Makes sure the node has the artifact {@code a} names: fetched from the node that has it ({@code from}) when
   * this one lacks it and the request does not carry it; if that fails, the request goes on and is answered
   * NOT_FOUND, for the caller to send the state itself.
   */
  private Future<Void> present(StageProtocol.Applying a) {
    if (a.state() != null || a.from() == null || local.get(a.id()) != null) {
      return Future.succeededFuture();
    }
    return store().fetch(vertx, context, a.id(), a.from()).recover(e -> Future.succeededFuture());
  }

  /** This instance's artifact {@code id}: built from the node's store, or from {@code stateJson}. */
  private S known(String id, String stateJson) throws IOException {
    S built = local.get(id);
    if (built != null) {
      return built;
    }
    StateStore store = store();
    Map<String, Object> state = store.get(id);
    if (state == null && stateJson != null) {
      state = JsonShapes.toMap(new JsonObject(stateJson));
      store.put(id, state);
    }
    if (state == null) {
      throw ActorException.notFound(is.idKey() + " '" + id + "' is not loaded on this node; fit it, or send "
          + "{\"op\":\"load\",\"state\":…} (or \"path\") first");
    }
    built = kind.build(state, options.artifactRoots());
    local.put(id, built, StateStore.estimate(state));
    return built;
  }

  private Future<JsonObject> onFit(StageProtocol.Fit f) {
    return Blocking.call(vertx, () -> kind.fitting(f)).compose(fitting -> {
      String address = SessionActor.newAddress(is.fitPrefix());
      return SessionActor.deploy(vertx, new FitSession<>(address, kind, fitting, options.sessionIdleMs(),
          FitMemory.share(options.fitMaxBytes(), options.fitMaxBytesPath())), address)
          .map(a -> fitting.started(a).toJson());
    });
  }

  private StageProtocol.Loaded load(StageProtocol.Load l) throws IOException {
    S built = kind.build(l.state() != null ? l.state() : readState(l.path()), options.artifactRoots());
    String id = kind.id(built);
    store().put(id, kind.state(built));
    return kind.loaded(built, id, StateStore.origin(vertx));
  }

  private Map<String, Object> readState(String path) throws IOException {
    Path file = options.artifactRoots().resolveExisting(path);
    try {
      return JsonShapes.toMap(new JsonObject(WholeFiles.readString(file, path, stateFiles,
          "point the path at the " + is.fileWhat() + " a training job saved")));
    } catch (io.vertx.core.json.DecodeException e) {
      throw ActorException.badRequest("'" + path + "' is not a JSON " + is.fileWhat() + ": " + e.getMessage());
    }
  }

  private StageProtocol.Saved save(StageProtocol.Save s) throws IOException {
    S built = known(s.id(), null);
    Path target = options.outputRoots().resolveForWrite(s.path());
    AtomicFiles.write(target, JsonShapes.toJson(kind.state(built)).encodePrettily());
    return new StageProtocol.Saved(is, s.id(), target.toString());
  }

  private StageProtocol.Described describe(String id) throws IOException {
    S built = known(id, null);
    return new StageProtocol.Described(is, id, kind.state(built), kind.coefficients(built));
  }

  private StateStore store() {
    return StateStore.of(vertx, is.idKey());
  }
}
