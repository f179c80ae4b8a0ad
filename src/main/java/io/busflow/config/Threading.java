package io.busflow.config;

/**
 * Where an actor's handler runs: on its event loop (fast, must never block), on a worker thread, or
 * {@link #PER_LOOP}: one instance on each of the node's event loops, asked only from its own loop.
 */
public enum Threading {
  EVENT_LOOP,
  WORKER,
  /**
   * One instance on each event loop of the node, each at a node-local address of its own: an ask made on an
   * event loop whose instance is idle goes to that instance, with no hand-off between threads; every other ask
   * goes to the address's other instances, which must exist (a {@code worker} or {@code event-loop} entry at the
   * same address, on this node or another).
   */
  PER_LOOP
}
