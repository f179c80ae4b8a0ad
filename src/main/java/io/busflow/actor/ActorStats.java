package io.busflow.actor;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What one running actor instance has done, read for monitoring (metrics, health, the console).
 *
 * <p>Guarantees: every read is safe from any thread and never blocks; counts only grow while the instance
 * runs; an instance that stops keeps its last counts.
 */
public interface ActorStats {

  /** The actor's configured name. */
  String name();

  /** The address its mailbox listens on. */
  String address();

  /** This instance's id, unique on the node. */
  String instanceId();

  /** How it runs: {@code event-loop}, {@code worker} or {@code per-loop}. */
  String threading();

  /** Requests that reached the mailbox. */
  long receivedCount();

  /** Requests answered with a result. */
  long repliedCount();

  /** Requests answered with a failure of {@code code}. */
  long failedCount(ErrorCode code);

  /** Failures by code, only codes that occurred. */
  Map<ErrorCode, Long> failures();

  /** Crashes of this instance, each followed by a supervised restart. */
  long crashCount();

  /** Requests queued or in progress now. */
  int mailboxDepth();

  /** Requests answered per second over the last few seconds. */
  double throughput();

  /** All of the above as JSON, the shape {@code GET /api/v1/actors} shows. */
  JsonObject toJson();

  /**
   * Calls {@code nanos} with the time each request from now on took, from its handler's start to its reply, on
   * the actor's thread; one observer at a time (a later call replaces the earlier).
   */
  void onProcessed(LongConsumer nanos);
}
