package io.busflow.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link io.busflow.config.Threading#PER_LOOP} actor instances on the current event-loop thread, by their
 * public address: where an ask made on this thread goes when the instance here is idle. Each thread sees only
 * its own instances (they register and leave on their own thread), so nothing is shared and nothing locks.
 */
final class SameLoop {

  /**
   * Per address, the instances on this thread, oldest first: there may be two for a while, as a restarted instance
   * starts before its crashed predecessor goes, and a misplaced one before it moves.
   */
  private static final ThreadLocal<Map<String, List<Actor<?>>>> HERE = ThreadLocal.withInitial(HashMap::new);

  private SameLoop() {}

  /** Registers {@code actor}, running on this thread, for asks to {@code address} made here. */
  static void add(String address, Actor<?> actor) {
    HERE.get().computeIfAbsent(address, a -> new ArrayList<>(1)).add(actor);
  }

  /** Forgets {@code actor}. */
  static void remove(String address, Actor<?> actor) {
    List<Actor<?>> here = HERE.get().get(address);
    if (here != null && here.remove(actor) && here.isEmpty()) {
      HERE.get().remove(address);
    }
  }

  /**
   * The instance on this thread that an ask to {@code address} made here should go to: one that runs and has nothing
   * queued or in progress; null when there is none. Also null while an instance here is in the middle of a request:
   * the ask is then, as a rule, that instance handing the request on to the shared instances, and another instance
   * on this loop (two may be here for a while, as one is placed or restarted) would hand it back.
   */
  static Actor<?> here(String address) {
    List<Actor<?>> here = HERE.get().get(address);
    if (here == null || here.stream().anyMatch(Actor::handling)) {
      return null;
    }
    for (Actor<?> a : here) {
      if (a.idleForSameLoop()) {
        return a;
      }
    }
    return null;
  }
}
