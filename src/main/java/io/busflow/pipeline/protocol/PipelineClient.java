package io.busflow.pipeline.protocol;

import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs a job and waits for its end, for Java callers (the command line, benchmarks, tests). It listens
 * on the job's progress address before starting it, so no progress and not the final report can be
 * missed, and asks for the job's status every few seconds as well, in case the final message is lost
 * (a node leaving the cluster). Call it from a Vert.x context or any thread.
 */
public final class PipelineClient {

  private static final long POLL_MS = 3_000;

  private PipelineClient() {}

  /**
   * Starts {@code run} and completes with the job's final report ({@code "state"} tells succeeded, failed or
   * cancelled); fails with the {@link ActorException} of a run the coordinator refused (bad definition,
   * conflict, …). {@code onProgress} receives each progress message.
   */
  public static Future<JsonObject> run(Vertx vertx, PipelineProtocol.Run run, Consumer<JsonObject> onProgress) {
    String job = run.job() != null ? run.job() : "job-" + Long.toHexString(ThreadLocalRandom.current().nextLong()
        & 0xffffffffL);
    PipelineProtocol.Run withId = new PipelineProtocol.Run(run.pipeline(), run.definition(), job, run.overrides());
    Promise<JsonObject> result = Promise.promise();
    MessageConsumer<JsonObject> progress = vertx.eventBus().consumer(PipelineProtocol.progressAddress(job),
        m -> onMessage(m.body(), result, onProgress));
    ActorRef coordinator = ActorRef.of(vertx, PipelineProtocol.ADDRESS);
    progress.completion()
        .compose(v -> coordinator.ask(withId.toJson(), Duration.ofMinutes(2)))
        .onSuccess(started -> poll(vertx, coordinator, job, result))
        .onFailure(result::tryFail);
    return result.future().eventually(progress::unregister);
  }

  private static void onMessage(JsonObject m, Promise<JsonObject> result, Consumer<JsonObject> onProgress) {
    if (m.getBoolean("final", false)) {
      m.remove("final");
      result.tryComplete(m);
    } else if (!result.future().isComplete()) {
      onProgress.accept(m);
    }
  }

  private static void poll(Vertx vertx, ActorRef coordinator, String job, Promise<JsonObject> result) {
    vertx.setTimer(POLL_MS, id -> {
      if (result.future().isComplete()) {
        return;
      }
      coordinator.<JsonObject>ask(new JsonObject().put("op", "status").put("job", job), Duration.ofSeconds(30))
          .onSuccess(s -> ended(s, result))
          .onFailure(t -> lost(t, job, result))
          .onComplete(ar -> poll(vertx, coordinator, job, result));
    });
  }

  private static void ended(JsonObject status, Promise<JsonObject> result) {
    if (!"running".equals(status.getString("state"))) {
      result.tryComplete(status);
    }
  }

  private static void lost(Throwable t, String job, Promise<JsonObject> result) {
    if (t instanceof ActorException e && (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.NO_ACTOR)) {
      result.tryFail(new ActorException(e.code(), "job '" + job + "' was lost: " + e.getMessage()));
    }
  }
}
