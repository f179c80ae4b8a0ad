package io.busflow.pipeline.model;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model stage: answers {@link ModelProtocol}. Models are shared by every instance on a node
 * ({@link StateStore}) and are immutable, so instances predict in parallel. Predicting, fitting and file
 * access run on worker threads. Options: those of {@link StageOptions}.
 */
public final class ModelActor extends Actor<ModelProtocol.Request> {

  static final String STORE = "model";
  private static final int LOCAL_CAPACITY = 16;

  /** This instance's built models, by id, sized by their states: at most 16 and {@code storeBytes}. */
  private BoundedCache<Model> local;
  private StageOptions options;

  public ModelActor() {
    super(ModelProtocol.ADDRESS, ModelProtocol::decode);
  }

  @Override
  protected Future<?> onStart() {
    String path = "actors." + settings().name() + ".options";
    options = StageOptions.read(settings().options(), path);
    StateStore.of(vertx, STORE).limit(options, path);
    local = new BoundedCache<>("this model instance's cache", path + ".storeBytes", LOCAL_CAPACITY,
        options.storeBytes());
    return StateStore.serve(vertx);
  }

  @Override
  protected Future<?> onMessage(ModelProtocol.Request request) {
    return dispatch(request).recover(t -> Future.failedFuture(Failures.map(t, null)));
  }

  private Future<?> dispatch(ModelProtocol.Request r) {
    if (r instanceof ModelProtocol.Predict p) {
      return present(p).compose(v -> Blocking.call(vertx, () -> predict(p)));
    }
    if (r instanceof ModelProtocol.Fit f) {
      String address = SessionActor.newAddress(ModelProtocol.FIT_PREFIX);
      return SessionActor.deploy(vertx, new ModelFitSession(address, f, options.sessionIdleMs()), address)
          .map(a -> new JsonObject().put("session", a));
    }
    if (r instanceof ModelProtocol.Load l) {
      return Blocking.call(vertx, () -> load(l));
    }
    if (r instanceof ModelProtocol.Save s) {
      return Blocking.call(vertx, () -> save(s));
    }
    return Blocking.call(vertx, () -> describe(((ModelProtocol.Describe) r).model()));
  }

  private JsonObject describe(String id) throws java.io.IOException {
    Model m = known(id, null);
    JsonObject out = new JsonObject().put("model", id).put("state", JsonShapes.toJson(m.toState()));
    return ModelProtocol.withCoefficients(out, m);
  }

  /**
   * Makes sure the node has the model {@code p} names: fetched from the node that has it ({@code from}) when
   * this one lacks it and the request does not carry it; if that fails, the request goes on and is answered
   * NOT_FOUND, for the caller to send the state itself.
   */
  private Future<Void> present(ModelProtocol.Predict p) {
    if (p.state() != null || p.from() == null || local.get(p.model()) != null) {
      return Future.succeededFuture();
    }
    return StateStore.of(vertx, STORE).fetch(vertx, context, p.model(), p.from())
        .recover(e -> Future.succeededFuture());
  }

  private Object predict(ModelProtocol.Predict p) throws java.io.IOException {
    Model m = known(p.model(), p.state());
    Predictions out = m.predict(p.features(), p.idColumn());
    var reply = new ModelProtocol.Predicted(out.modelVersion(), out.batch(), nodeName());
    return p.asJson() ? reply.toJson() : reply;
  }

  private Model known(String version, String stateJson) throws java.io.IOException {
    Model m = local.get(version);
    if (m != null) {
      return m;
    }
    StateStore store = StateStore.of(vertx, STORE);
    Map<String, Object> state = store.get(version);
    if (state == null && stateJson != null) {
      state = JsonShapes.toMap(new JsonObject(stateJson));
      store.put(version, state);
    }
    if (state == null) {
      throw ActorException.notFound("model '" + version + "' is not loaded on this node; fit it, or send "
          + "{\"op\":\"load\",\"state\":…} (or \"path\") first");
    }
    m = ModelArtifacts.load(state, options.artifactRoots());
    local.put(version, m, StateStore.estimate(state));
    return m;
  }

  private JsonObject load(ModelProtocol.Load l) throws java.io.IOException {
    Model m = ModelArtifacts.load(l.state() != null ? l.state() : readState(l.path()), options.artifactRoots());
    StateStore.of(vertx, STORE).put(m.version(), m.toState());
    return described(m).put("from", StateStore.origin(vertx));
  }

  /**
   * {@code {"model":…,"features":[…],"output":{"prediction":…,"classes":[…],"probabilities":[…],"positive":…}}},
   * and for classifiers {@code "classes"} as before.
   */
  static JsonObject described(Model m) {
    JsonObject out = new JsonObject().put("model", m.version())
        .put("features", new JsonArray(List.copyOf(m.featureNames())))
        .put("output", JsonShapes.toJson(m.output().toMap()));
    if (m.output().classifier()) {
      out.put("classes", new JsonArray(new ArrayList<>(m.output().classes())));
    }
    return out;
  }

  private Map<String, Object> readState(String path) throws java.io.IOException {
    Path file = options.artifactRoots().resolveExisting(path);
    try {
      return JsonShapes.toMap(new JsonObject(Files.readString(file)));
    } catch (io.vertx.core.json.DecodeException e) {
      throw ActorException.badRequest("'" + path + "' is not a JSON model: " + e.getMessage());
    }
  }

  private JsonObject save(ModelProtocol.Save s) throws java.io.IOException {
    Model m = known(s.model(), null);
    Path target = options.outputRoots().resolveForWrite(s.path());
    AtomicFiles.write(target, JsonShapes.toJson(m.toState()).encodePrettily());
    return new JsonObject().put("model", s.model()).put("path", target.toString());
  }
}
