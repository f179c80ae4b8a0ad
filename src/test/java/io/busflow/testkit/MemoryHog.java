package io.busflow.testkit;

import io.busflow.actor.Actor;
import io.busflow.actor.MessageDecoder;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only actor that allocates until the heap is exhausted on every message: provokes an
 * {@link OutOfMemoryError} inside a (worker) stage. Deployable by class name.
 */
public final class MemoryHog extends Actor<Object> {

  public MemoryHog() {
    super("test.hog", MessageDecoder.any());
  }

  @Override
  protected Future<?> onMessage(Object message) {
    List<long[]> hog = new ArrayList<>();
    while (true) {
      hog.add(new long[1 << 20]);
    }
  }
}
