package io.busflow.data.transform;

import io.busflow.data.Names;
import io.busflow.data.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link StepType}s registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.busflow.data.transform.StepType} on the class path), by name; read once.
 */
public final class StepTypes {

  /** What a user step may not be called: the pipeline's own step of that name comes first. */
  private static final List<String> RESERVED = List.of("actor");

  private static final Map<String, StepType> TYPES = discover();

  private StepTypes() {}

  private static Map<String, StepType> discover() {
    Map<String, StepType> types = Plugins.byName(StepType.class, StepType::name);
    for (String reserved : RESERVED) {
      if (types.containsKey(reserved)) {
        throw new IllegalStateException("step type " + types.get(reserved).getClass().getName() + " is named '"
            + reserved + "', which pipelines use for actor steps; rename it");
      }
    }
    return types;
  }

  /** The names of the registered types, sorted. */
  public static List<String> names() {
    return new ArrayList<>(new TreeMap<>(TYPES).keySet());
  }

  /**
   * The type of the step written as {@code key} at {@code place} ({@code steps[0]}); a {@link SpecException}
   * listing the known ones, with the likely one, if none.
   */
  public static StepType get(String key, String place) {
    StepType t = TYPES.get(key);
    if (t == null) {
      throw new SpecException(place + "." + key, "'" + key + "' is not a step; use one of "
          + String.join(", ", names()) + Names.hint(key, names())
          + " (a plugin adds a step type with a line in META-INF/services/" + StepType.class.getName() + ")");
    }
    return t;
  }

  /** The fitted step whose state is {@code state}, loaded by the type its {@code "type"} names. */
  static Transformer load(Map<String, Object> state) {
    String type = StateMaps.string(state, "type");
    StepType t = TYPES.get(type);
    if (t == null) {
      throw new IllegalArgumentException("state key 'type' is '" + type + "'; known step types are "
          + String.join(", ", names()));
    }
    return t.load(state);
  }
}
