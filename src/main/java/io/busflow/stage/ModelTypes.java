package io.busflow.stage;

import io.busflow.data.transform.SpecException;
import io.busflow.data.model.Model;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link ModelType}s registered through {@link ServiceLoader} ({@code META-INF/services/io.busflow.stage.ModelType}
 * on the class path), by name; read once.
 */
public final class ModelTypes {

  private static final Map<String, ModelType> TYPES = discover();

  private ModelTypes() {}

  private static Map<String, ModelType> discover() {
    Map<String, ModelType> out = new TreeMap<>();
    for (ModelType t : ServiceLoader.load(ModelType.class, ModelTypes.class.getClassLoader())) {
      ModelType before = out.putIfAbsent(t.name(), t);
      if (before != null && before.getClass() != t.getClass()) {
        throw new IllegalStateException("two model types are named '" + t.name() + "': "
            + before.getClass().getName() + " and " + t.getClass().getName() + "; rename one");
      }
    }
    return Map.copyOf(out);
  }

  /** The names of the registered types. */
  public static Set<String> names() {
    return new java.util.TreeSet<>(TYPES.keySet());
  }

  /** Whether a type is registered under {@code name}. */
  public static boolean has(String name) {
    return TYPES.containsKey(name);
  }

  /** The type named {@code name}; a {@link SpecException} at {@code path} listing the known ones if none. */
  public static ModelType get(String name, String path) {
    ModelType t = TYPES.get(name);
    if (t == null) {
      throw new SpecException(path, "is '" + name + "' but must be one of " + names()
          + " (a plugin adds a type with a line in META-INF/services/io.busflow.stage.ModelType)");
    }
    return t;
  }

  /** The model {@code artifact} stores, loaded by its type. */
  public static Model load(Artifact artifact) {
    return get(artifact.type(), "state key 'type'").load(artifact);
  }

  /** The model whose JSON state is {@code state} (the whole model), loaded by its {@code "type"}. */
  public static Model fromState(Map<String, Object> state) {
    return load(Artifact.json(state));
  }
}
