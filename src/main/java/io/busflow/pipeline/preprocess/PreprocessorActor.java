package io.busflow.pipeline.preprocess;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.data.ContentHash;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.model.ModelProtocol;
import io.busflow.pipeline.internal.AtomicFiles;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.internal.BoundedCache;
import io.busflow.pipeline.internal.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The preprocessor stage: answers {@link PreprocessProtocol}. Fitted states are shared by every instance
 * on a node ({@link StateStore}); each instance builds its own {@link Preprocessor} objects from them, so
 * that the unknown-level counts of one request are exact while instances work in parallel. Transforming,
 * fitting and file access run on worker threads. A {@link PreprocessProtocol.TransformPredict} is handed to
 * the model once transformed, with what is left of its deadline, and the instance takes its next request
 * while the model works ({@link #replyLater}). Options: those of {@link StageOptions}.
 */
public final class PreprocessorActor extends Actor<PreprocessProtocol.Request> {

  static final String STORE = "preprocessor";
  private static final int LOCAL_CAPACITY = 16;

  /** This instance's built preprocessors, by id, sized by their states: at most 16 and {@code storeBytes}. */
  private BoundedCache<Preprocessor> local;
  private StageOptions options;

  public PreprocessorActor() {
    super(PreprocessProtocol.ADDRESS, PreprocessProtocol::decode);
  }

  /** The id of a preprocessor state. */
  static String idOf(Map<String, Object> state) {
    return ContentHash.of("pp", Preprocessor.fromState(state).toState());
  }

  @Override
  protected Future<?> onStart() {
    String path = "actors." + settings().name() + ".options";
    options = StageOptions.read(settings().options(), path);
    StateStore.of(vertx, STORE).limit(options, path);
    local = new BoundedCache<>("this preprocessor instance's cache", path + ".storeBytes", LOCAL_CAPACITY,
        options.storeBytes());
    return StateStore.serve(vertx);
  }

  @Override
  protected Future<?> onMessage(PreprocessProtocol.Request request) {
    return dispatch(request).recover(t -> Future.failedFuture(Failures.map(t, null)));
  }

  private Future<?> dispatch(PreprocessProtocol.Request r) {
    if (r instanceof PreprocessProtocol.Transform t) {
      return present(t).compose(v -> Blocking.call(vertx, () -> transform(t)));
    }
    if (r instanceof PreprocessProtocol.TransformPredict tp) {
      return onTransformPredict(tp);
    }
    if (r instanceof PreprocessProtocol.Fit f) {
      return onFit(f);
    }
    if (r instanceof PreprocessProtocol.Load l) {
      return Blocking.call(vertx, () -> load(l));
    }
    if (r instanceof PreprocessProtocol.Save s) {
      return Blocking.call(vertx, () -> save(s));
    }
    String id = ((PreprocessProtocol.Describe) r).preprocessor();
    return Future.succeededFuture(new JsonObject().put("preprocessor", id)
        .put("state", JsonShapes.toJson(known(id, null).toState())));
  }

  private Future<?> onTransformPredict(PreprocessProtocol.TransformPredict r) {
    return present(r.transform()).compose(v -> Blocking.call(vertx, () -> transformCounting(r.transform())))
        .compose(t -> replyLater(predict(r, t)));
  }

  /**
   * Makes sure the node has the preprocessor {@code t} names: fetched from the node that has it ({@code from})
   * when this one lacks it and the request does not carry it; if that fails, the request goes on and is
   * answered NOT_FOUND, for the caller to send the state itself.
   */
  private Future<Void> present(PreprocessProtocol.Transform t) {
    if (t.state() != null || t.from() == null || local.get(t.preprocessor()) != null) {
      return Future.succeededFuture();
    }
    return StateStore.of(vertx, STORE).fetch(vertx, context, t.preprocessor(), t.from())
        .recover(e -> Future.succeededFuture());
  }

  /** Asks the model for the predictions of {@code t}, within what is left of the request's deadline. */
  private Future<PreprocessProtocol.TransformPredicted> predict(PreprocessProtocol.TransformPredict r,
      Preprocessor.Transformed t) {
    ActorRef model = ref(ModelProtocol.ADDRESS).withTimeout(Duration.ofMillis(Math.max(1, envelope().remainingMillis())));
    return model.<ModelProtocol.Predicted>ask(r.predict(t.features())).map(p ->
        new PreprocessProtocol.TransformPredicted(r.transform().preprocessor(), t.unknownLevels(), nodeName(), p));
  }

  private Preprocessor.Transformed transformCounting(PreprocessProtocol.Transform t) {
    return known(t.preprocessor(), t.state()).transformCounting(t.batch());
  }

  private Object transform(PreprocessProtocol.Transform t) {
    Preprocessor.Transformed out = transformCounting(t);
    var reply = new PreprocessProtocol.Transformed(t.preprocessor(), out.features(), out.unknownLevels(), nodeName());
    return t.asJson() ? reply.toJson() : reply;
  }

  /** This instance's preprocessor {@code id}: built from the node's store, or from {@code stateJson}. */
  private Preprocessor known(String id, String stateJson) {
    Preprocessor p = local.get(id);
    if (p != null) {
      return p;
    }
    StateStore store = StateStore.of(vertx, STORE);
    Map<String, Object> state = store.get(id);
    if (state == null && stateJson != null) {
      state = JsonShapes.toMap(new JsonObject(stateJson));
      store.put(id, state);
    }
    if (state == null) {
      throw ActorException.notFound("preprocessor '" + id + "' is not loaded on this node; fit it, or send "
          + "{\"op\":\"load\",\"state\":…} (or \"path\") first");
    }
    p = Preprocessor.fromState(state);
    local.put(id, p, StateStore.estimate(state));
    return p;
  }

  private Future<JsonObject> onFit(PreprocessProtocol.Fit f) {
    return Blocking.call(vertx, () -> Preprocessor.Spec.parse(f.spec())).compose(spec -> {
      String address = SessionActor.newAddress(PreprocessProtocol.FIT_PREFIX);
      return SessionActor.deploy(vertx, new PreprocessFitSession(address, spec, options.sessionIdleMs()),
          address).map(a -> new JsonObject().put("session", a).put("passes", spec.passes())
              .put("pieces", spec.passes() > 1 || spec.mergeable()));
    });
  }

  private JsonObject load(PreprocessProtocol.Load l) throws java.io.IOException {
    Map<String, Object> state = l.state() != null ? l.state() : readState(l.path());
    Preprocessor p = Preprocessor.fromState(state);
    Map<String, Object> normal = p.toState();
    String id = ContentHash.of("pp", normal);
    StateStore.of(vertx, STORE).put(id, normal);
    return new JsonObject().put("preprocessor", id).put("from", StateStore.origin(vertx))
        .put("features", new JsonArray(List.copyOf(p.featureNames())))
        .put("idColumn", p.idColumn()).put("labelColumn", p.labelColumn())
        .put("inputs", PreprocessProtocol.inputsJson(p.inputs()));
  }

  private Map<String, Object> readState(String path) throws java.io.IOException {
    Path file = options.artifactRoots().resolveExisting(path);
    try {
      return JsonShapes.toMap(new JsonObject(Files.readString(file)));
    } catch (io.vertx.core.json.DecodeException e) {
      throw ActorException.badRequest("'" + path + "' is not a JSON preprocessor state: " + e.getMessage());
    }
  }

  private JsonObject save(PreprocessProtocol.Save s) {
    Preprocessor p = known(s.preprocessor(), null);
    Path target = options.outputRoots().resolveForWrite(s.path());
    AtomicFiles.write(target, JsonShapes.toJson(p.toState()).encodePrettily());
    return new JsonObject().put("preprocessor", s.preprocessor()).put("path", target.toString());
  }
}
