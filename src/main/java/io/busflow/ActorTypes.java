package io.busflow;

import io.busflow.actor.Actor;
import io.busflow.config.ConfigException;
import io.busflow.config.NodeConfig;
import io.busflow.examples.TutorialActors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The actor types a node can run by name, with their default addresses; any other type is the fully
 * qualified name of an {@link Actor} subclass with a public no-argument constructor.
 */
final class ActorTypes implements NodeConfig.ActorDefaults {

  private record Type(String address, Supplier<Actor<?>> factory) {}

  private final Map<String, Type> types = new LinkedHashMap<>();

  ActorTypes() {
    types.put("tutorial-loader", new Type(TutorialActors.LOADER, TutorialActors.Loader::new));
    types.put("tutorial-preprocess", new Type(TutorialActors.PREPROCESSOR, TutorialActors.Preprocessor::new));
    types.put("tutorial-model", new Type(TutorialActors.MODEL, TutorialActors.Model::new));
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
