package io.busflow.data;

import java.util.concurrent.Callable;

/** A thread-local value set for the length of one piece of work, the outer value put back after it. */
final class Scoped {

  private Scoped() {}

  /** Runs {@code work} on this thread with {@code local} set to {@code value}, then restores what it was. */
  static <V, T> T with(ThreadLocal<V> local, V value, Callable<T> work) throws Exception {
    V outer = local.get();
    local.set(value);
    try {
      return work.call();
    } finally {
      if (outer == null) {
        local.remove();
      } else {
        local.set(outer);
      }
    }
  }
}
