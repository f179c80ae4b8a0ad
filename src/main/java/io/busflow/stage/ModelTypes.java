package io.busflow.stage;

import io.busflow.data.Plugins;
import io.busflow.data.model.Model;
import io.busflow.data.transform.SpecException;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ModelType}s registered through {@link java.util.ServiceLoader} ({@code META-INF/services/io.busflow.stage.ModelType}
 * on the class path), by name; read once.
 */
public final class ModelTypes {

  private static final Map<String, ModelType> TYPES = Plugins.byName(ModelType.class, ModelType::name);

  private ModelTypes() {}

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
