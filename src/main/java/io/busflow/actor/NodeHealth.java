package io.busflow.actor;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-wide "failed" flag: once a fatal error is seen (an {@link OutOfMemoryError} on an event loop or a
 * worker, say), {@link #markFailed(String)} turns readiness ({@code /health/ready}) DOWN for good, before the
 * process goes down — load balancers stop sending work at once. One flag per JVM, safe from any thread and
 * never throws, so it may be called from a fatal-error handler.
 */
public final class NodeHealth {

  private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);
  private static final AtomicReference<String> FAILURE = new AtomicReference<>();

  private NodeHealth() {}

  /** Marks this node failed with {@code reason} (what happened, for the readiness body); the first reason wins. */
  public static void markFailed(String reason) {
    if (FAILURE.compareAndSet(null, reason == null ? "unknown fatal error" : reason)) {
      try {
        LOG.error("node marked failed, readiness is DOWN from now on: {}", FAILURE.get());
      } catch (Throwable t) {
        // out of memory, say: the flag is set, which is what matters; never throw into a fatal-error handler
      }
    }
  }

  /** The reason given to {@link #markFailed}, empty while the node is healthy. */
  public static Optional<String> failure() {
    return Optional.ofNullable(FAILURE.get());
  }

  /** Clears the flag: for tests, which share one JVM between many nodes. */
  public static void reset() {
    FAILURE.set(null);
  }
}
