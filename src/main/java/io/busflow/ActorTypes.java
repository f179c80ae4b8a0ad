package io.busflow;

import io.busflow.actor.Actor;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.NodeConfig;
import io.busflow.examples.TutorialActors;
import io.busflow.pipeline.coordinator.PieceRunner;
import io.busflow.pipeline.coordinator.PipelineActor;
import io.busflow.pipeline.loader.LoaderActor;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.stage.StageActor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The actor types a node can run by name, with their default addresses; any other type is the fully
 * qualified name of an {@link Actor} subclass with a public no-argument constructor.
 */
final class ActorTypes implements NodeConfig.ActorDefaults {

  /** A built-in type; {@code usesRoots}: it reads the node's data roots, output roots and pipelines directory. */
  private record Type(String address, Supplier<Actor<?>> factory, boolean usesRoots) {}

  private final Map<String, Type> types = new LinkedHashMap<>();

  ActorTypes() {
    types.put("loader", new Type(LoaderProtocol.ADDRESS, LoaderActor::new, true));
    types.put("runner", new Type(PieceProtocol.ADDRESS, PieceRunner::new, true));
    types.put("preprocess", new Type(StageProtocol.PREPROCESS_ADDRESS, StageActor::preprocessor, true));
    types.put("model", new Type(StageProtocol.MODEL_ADDRESS, StageActor::model, true));
    types.put("pipeline", new Type(PipelineProtocol.ADDRESS, PipelineActor::new, true));
    types.put("tutorial-loader", new Type(TutorialActors.LOADER, TutorialActors.Loader::new, false));
    types.put("tutorial-preprocess", new Type(TutorialActors.PREPROCESSOR, TutorialActors.Preprocessor::new, false));
    types.put("tutorial-model", new Type(TutorialActors.MODEL, TutorialActors.Model::new, false));
  }

  @Override
  public String defaultAddress(String type) {
    Type t = types.get(type);
    if (t != null) {
      return t.address();
    }
    return actorClass(type) != null ? "" : null;
  }

  @Override
  public List<String> knownTypes() {
    return List.copyOf(types.keySet());
  }

  /**
   * A node with a loader runs the pieces of score jobs beside it: a {@code runner} (one event-loop instance)
   * is deployed with it unless the file declares one, so node files written before runners existed keep working.
   */
  @Override
  public List<ActorConfig> implied(List<ActorConfig> configured) {
    if (configured.stream().noneMatch(a -> a.type().equals("loader"))) {
      return List.of();
    }
    String name = configured.stream().anyMatch(a -> a.name().equals("runner")) ? "busflow-runner" : "runner";
    ActorConfig d = ActorConfig.defaults(name, PieceProtocol.ADDRESS);
    return List.of(new ActorConfig(name, "runner", d.address(), d.instances(), d.threading(), d.mailboxCapacity(),
        d.requestTimeoutMs(), d.drainTimeoutMs(), d.supervision(), d.options()));
  }

  /**
   * {@code actor} with the node's data roots, output roots and pipelines directory in its options when its
   * type reads them and its own options do not name them.
   */
  ActorConfig withNodeOptions(ActorConfig actor, NodeConfig node) {
    Type t = types.get(actor.type());
    if (t == null || !t.usesRoots()) {
      return actor;
    }
    JsonObject o = new JsonObject()
        .put("dataRoots", new JsonArray(node.dataRoots()))
        .put("outputRoots", new JsonArray(node.outputRoots()))
        .put("pipelines", node.pipelines());
    return actor.withOptions(o.mergeIn(actor.options()));
  }

  Supplier<Actor<?>> factory(String type) {
    Type t = types.get(type);
    if (t != null) {
      return t.factory();
    }
    Class<? extends Actor<?>> c = actorClass(type);
    if (c == null) {
      throw new ConfigException("type", "'" + type + "' is not a known actor type");
    }
    return () -> instantiate(c);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Actor<?>> actorClass(String name) {
    try {
      Class<?> c = Class.forName(name, false, ActorTypes.class.getClassLoader());
      return Actor.class.isAssignableFrom(c) ? (Class<? extends Actor<?>>) c : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static Actor<?> instantiate(Class<? extends Actor<?>> c) {
    try {
      return c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create actor " + c.getName()
          + ": it needs a public no-argument constructor (" + e + ")", e);
    }
  }
}
