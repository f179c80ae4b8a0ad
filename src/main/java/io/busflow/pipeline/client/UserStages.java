package io.busflow.pipeline.client;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.Headers;
import io.busflow.data.Batch;
import io.busflow.pipeline.protocol.ActorStep;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a pipeline's {@link ActorStep}s on a batch, one after the other, by {@link StageProtocol}: each answer is
 * checked (a batch of as many rows) and keeps the batch's position and row origins. Failures name the pipeline,
 * the step and the address: {@code NO_ACTOR} when nothing listens there, {@code TIMEOUT} past the stage
 * timeout, {@code BAD_REQUEST} for a wrong answer, else the actor's own code.
 */
public final class UserStages {

  private final String pipeline;
  private final List<ActorStep> steps;

  public UserStages(PipelineDefinition def) {
    this(def.name(), def.actorSteps());
  }

  /** The steps {@code steps} of pipeline {@code pipeline} (a piece runner's, from its run request). */
  public UserStages(String pipeline, List<ActorStep> steps) {
    this.pipeline = pipeline;
    this.steps = List.copyOf(steps);
  }

  public boolean none() {
    return steps.isEmpty();
  }

  /**
   * {@code batch} through every step, asked with {@code refs}; a request is resent as {@code calls} does it (a job's:
   * lost with a node or refused for a while; online predictions': lost with a node), or asked once when it is null.
   */
  public Future<Batch> apply(Refs refs, Resends calls, Batch batch) {
    Future<Batch> out = Future.succeededFuture(batch);
    for (ActorStep step : steps) {
      out = out.compose(b -> applyOne(refs, calls, step, b));
    }
    return out;
  }

  private Future<Batch> applyOne(Refs refs, Resends calls, ActorStep step, Batch batch) {
    Supplier<Future<Object>> ask = () -> request(refs, step.address(), new StageProtocol.Apply(batch));
    Future<Object> reply = calls == null ? ask.get() : calls.ask(step.address(), ask);
    return reply.recover(t -> Future.failedFuture(explained(step, t, refs)))
        .map(r -> checked(step, batch, r));
  }

  /**
   * A plain Vert.x request, so that any consumer that answers with {@code message.reply} is a stage: a user's
   * verticle need not be a busflow actor.
   */
  private static Future<Object> request(Refs refs, String address, Object message) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(refs.timeout().toMillis());
    if (refs.correlationId() != null) {
      options.addHeader(Headers.CORRELATION_ID, refs.correlationId());
    }
    return refs.vertx().eventBus().request(address, message, options).map(Message::body)
        .recover(t -> Future.failedFuture(ActorException.of(t, address)));
  }

  private Batch checked(ActorStep step, Batch sent, Object reply) {
    if (!(reply instanceof Batch b)) {
      throw ActorException.badRequest(at(step) + "the actor at '" + step.address() + "' answered "
          + (reply == null ? "nothing" : "a " + reply.getClass().getSimpleName()) + "; a stage actor answers "
          + "StageProtocol.Apply with a Batch (README, \"Writing a stage actor\")");
    }
    if (b.rowCount() != sent.rowCount()) {
      throw ActorException.badRequest(at(step) + "the actor at '" + step.address() + "' answered " + b.rowCount()
          + " rows for a batch of " + sent.rowCount() + "; a stage actor answers with the same rows in the same "
          + "order (add or replace columns, never rows)");
    }
    return sent.withOnly(b.columns());
  }

  private Throwable explained(ActorStep step, Throwable t, Refs refs) {
    ActorException e = ActorException.of(t, step.address());
    if (e.code() == ErrorCode.NO_ACTOR) {
      return new ActorException(ErrorCode.NO_ACTOR, at(step) + "no actor answers at '" + step.address()
          + "' (" + e.getMessage() + "); deploy the stage's verticle on a node of this cluster (README, "
          + "\"Writing a stage actor\"), or fix the address");
    }
    if (e.code() == ErrorCode.TIMEOUT) {
      return new ActorException(ErrorCode.TIMEOUT, at(step) + "the actor at '" + step.address()
          + "' did not answer within " + refs.timeout().toMillis() + " ms (stageTimeoutMs); make it answer "
          + "sooner, or raise stageTimeoutMs");
    }
    return new ActorException(e.code(), at(step) + e.getMessage(), e);
  }

  private String at(ActorStep step) {
    return "pipeline '" + pipeline + "': " + step.describe() + ": ";
  }
}
