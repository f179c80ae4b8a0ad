package io.busflow.config;

/** Where an actor's handler runs: on its event loop (fast, must never block) or on a worker thread. */
public enum Threading {
  EVENT_LOOP,
  WORKER
}
