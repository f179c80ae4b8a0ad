package io.busflow.data;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/** Plugins registered through {@link ServiceLoader} ({@code META-INF/services/<type>} on the class path). */
public final class Plugins {

  private Plugins() {}

  /**
   * The implementations of {@code type} on the class path, by {@code name}; fails naming both classes when
   * two different ones share a name (the same class listed twice is one).
   */
  public static <T> Map<String, T> byName(Class<T> type, Function<T, String> name) {
    Map<String, T> out = new TreeMap<>();
    for (T t : ServiceLoader.load(type, type.getClassLoader())) {
      T before = out.putIfAbsent(name.apply(t), t);
      if (before != null && before.getClass() != t.getClass()) {
        throw new IllegalStateException("two " + type.getSimpleName() + "s are named '" + name.apply(t) + "': "
            + before.getClass().getName() + " and " + t.getClass().getName() + "; rename one");
      }
    }
    return Map.copyOf(out);
  }
}
