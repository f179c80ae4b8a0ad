package io.busflow.pipeline.client;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * How requests to the stages survive the loss of a node: resent to another instance. A job's ({@code StageCalls})
 * also waits out stages with no instance and retries timeouts; online predictions ({@link OnlineResends}) resend only
 * what a member that left had, and pass every failure on to their caller.
 */
public interface Resends {

  /** An idempotent request to the stages {@code stages} (addresses), made by {@code call}, resent when lost. */
  <R> Future<R> ask(List<String> stages, Supplier<Future<R>> call);

  /** The same for one stage. */
  default <R> Future<R> ask(String stage, Supplier<Future<R>> call) {
    return ask(List.of(stage), call);
  }

  /** Notes that node {@code node} answered a request to {@code stage} (for the job's report). */
  void servedBy(String stage, String node);
}
