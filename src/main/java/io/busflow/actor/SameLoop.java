package io.busflow.actor;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link io.busflow.config.Threading#PER_LOOP} actor instances on the current event-loop thread, by their
 * public address: where an ask made on this thread goes when the instance here is idle. Each thread sees only
 * its own instances (they register and leave on their own thread), so nothing is shared and nothing locks.
 */
final class SameLoop {

  private static final ThreadLocal<Map<String, Actor<?>>> HERE = ThreadLocal.withInitial(HashMap::new);

  private SameLoop() {}

  /** Registers {@code actor}, running on this thread, for asks to {@code address} made here. */
  static void add(String address, Actor<?> actor) {
    HERE.get().putIfAbsent(address, actor);
  }

  /** Forgets {@code actor}; a no-op when another instance was registered for the address here. */
  static void remove(String address, Actor<?> actor) {
    HERE.get().remove(address, actor);
  }

  /**
   * Where an ask to {@code address} made on this thread should go: the node-local address of the instance on this
   * thread when it runs and has nothing queued or in progress, else {@code address}.
   */
  static String route(String address) {
    Actor<?> here = HERE.get().get(address);
    return here != null && here.idleForSameLoop() ? here.loopAddress() : address;
  }
}
