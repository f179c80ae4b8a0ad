package io.busflow.pipeline.coordinator;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.client.PipelineFiles;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The coordinator: answers {@link PipelineProtocol}, running each job beside the others. A run request is
 * answered once the job has started — its definition valid, its output paths resolved inside the output
 * roots and locked — so the mailbox stays free for status and cancel requests while jobs run. Runs on an
 * event loop: every file access goes through worker threads. Keeps the running jobs and, of those that
 * ended, the summaries and reports of the last {@code keepEnded} within {@code keepEndedBytes} (a report
 * larger than that is kept as its summary), and answers for each of them at {@link PipelineProtocol#jobAddress}
 * too: with several coordinator instances (on several nodes), the one a status or cancel request reaches
 * asks the one that runs the job. {@code list} shows the jobs of the instance that answers. Options: those
 * of {@link StageOptions}.
 */
public final class PipelineActor extends Actor<PipelineProtocol.Request> {

  /** Running jobs, by id, in the order they started. */
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  /** Ended jobs, by id, the oldest to end first. */
  private final Map<String, Job.Ended> ended = new LinkedHashMap<>();
  private long endedBytes;
  /** Run requests admitted and not yet in {@link #jobs} (their outputs being resolved and locked). */
  private int starting;
  private final Map<String, MessageConsumer<Object>> jobConsumers = new LinkedHashMap<>();
  private StageOptions options;

  public PipelineActor() {
    super(PipelineProtocol.ADDRESS, PipelineProtocol::decode);
  }

  @Override
  protected Future<?> onStart() {
    options = StageOptions.read(settings().options(), "actors." + settings().name() + ".options");
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onStop() {
    jobs.values().forEach(Job::cancel);
    return Future.join(jobConsumers.values().stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  @Override
  protected Future<?> onMessage(PipelineProtocol.Request request) {
    if (request instanceof PipelineProtocol.Run r) {
      return onRun(r).recover(t -> Future.failedFuture(Failures.map(t, null)));
    }
    if (request instanceof PipelineProtocol.Status s) {
      JsonObject status = status(s.job());
      return status != null ? Future.succeededFuture(status) : elsewhere("status", s.job());
    }
    if (request instanceof PipelineProtocol.Cancel c) {
      JsonObject cancelled = cancel(c.job());
      return cancelled != null ? Future.succeededFuture(cancelled) : elsewhere("cancel", c.job());
    }
    return Future.succeededFuture(list((PipelineProtocol.ListJobs) request));
  }

  /** The progress of job {@code id} or its report; null when this instance does not know it. */
  private JsonObject status(String id) {
    Job j = jobs.get(id);
    Job.Ended e = ended.get(id);
    return j != null ? j.status() : e != null ? e.report().copy() : null;
  }

  /** Cancels job {@code id} if it runs; its state, or null when this instance does not know it. */
  private JsonObject cancel(String id) {
    Job j = jobs.get(id);
    Job.Ended e = ended.get(id);
    if (j != null) {
      j.cancel();
    }
    return j == null && e == null ? null : new JsonObject().put("job", id)
        .put("state", j != null ? "cancelling" : e.state().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Asks the coordinator instance that runs job {@code id}, if there is one. */
  private Future<Object> elsewhere(String op, String id) {
    return ref(PipelineProtocol.jobAddress(id)).ask(new JsonObject().put("op", op).put("job", id))
        .recover(t -> Future.failedFuture(t instanceof ActorException e && e.code() == ErrorCode.NO_ACTOR
            ? ActorException.notFound("no job '" + id + "' on any coordinator; {\"op\":\"list\"} shows the "
                + "running jobs and the last " + options.keepEnded() + " that ended of the coordinator that answers it")
            : t));
  }

  /** Answers status and cancel for one of this instance's jobs, at its job address. */
  private void onJobRequest(Message<Object> m) {
    String id = m.body() instanceof JsonObject body ? body.getString("job") : null;
    JsonObject answer = id == null ? null
        : "cancel".equals(((JsonObject) m.body()).getString("op")) ? cancel(id) : status(id);
    if (answer == null) {
      m.fail(ErrorCode.NOT_FOUND.wire(), "job at '" + m.address() + "' is no longer kept here");
    } else {
      m.reply(answer);
    }
  }

  /** A page of the jobs, newest first, as summaries. */
  private JsonObject list(PipelineProtocol.ListJobs page) {
    List<JsonObject> newestFirst = new ArrayList<>();
    ended.values().forEach(e -> newestFirst.add(e.summary()));
    jobs.values().forEach(j -> newestFirst.add(j.summary()));
    Collections.reverse(newestFirst);
    JsonArray summaries = new JsonArray();
    newestFirst.stream().skip(page.offset()).limit(page.limit()).forEach(s -> summaries.add(s.copy()));
    return new JsonObject().put("jobs", summaries).put("total", newestFirst.size()).put("offset", page.offset())
        .put("limit", page.limit());
  }

  private Future<JsonObject> onRun(PipelineProtocol.Run run) {
    return definitionJson(run).map(json -> parse(run, json)).compose(def -> {
      String id = run.job() != null ? run.job() : def.name() + "-" + Long.toHexString(ThreadLocalRandom.current()
          .nextLong() & 0xffffffL);
      if (jobs.containsKey(id)) {
        throw ActorException.conflict("job '" + id + "' is running already; choose another job id");
      }
      if (jobs.size() + starting >= options.maxRunningJobs()) {
        throw new ActorException(ErrorCode.MAILBOX_FULL, "coordinator '" + settings().name() + "' is at its limit "
            + "of " + options.maxRunningJobs() + " running jobs (actors." + settings().name() + ".options."
            + "maxRunningJobs); run job '" + id + "' again when one has ended (the job list shows them), or raise "
            + "the limit");
      }
      starting++;
      boolean[] counted = {true};
      Runnable started = () -> { // once: when the job joins the running ones, or its start fails before
        if (counted[0]) {
          counted[0] = false;
          starting--;
        }
      };
      return resolve(def).compose(targets -> OutputLocks.acquire(vertx, id, targets.all())
          .compose(locks -> {
            started.run();
            return start(id, def, targets, locks);
          })).onComplete(ar -> started.run());
    });
  }

  private Future<JsonObject> definitionJson(PipelineProtocol.Run run) {
    if (run.definition() != null) {
      return Future.succeededFuture(run.definition());
    }
    return vertx.executeBlocking(() -> PipelineFiles.read(options.pipelines(), run.pipeline()), false);
  }

  private static PipelineDefinition parse(PipelineProtocol.Run run, JsonObject json) {
    JsonObject j = json.copy();
    JsonObject o = run.overrides();
    if (o.containsKey("mode")) {
      j.put("mode", o.getString("mode"));
    }
    if (o.containsKey("source")) {
      j.put("source", o.getString("source"));
    }
    if (o.containsKey("scoreSource")) {
      j.put("score", objectAt(j, "score").put("source", o.getString("scoreSource")));
    }
    if (o.containsKey("output")) {
      j.put("output", objectAt(j, "output").put("path", o.getString("output")));
    }
    if (o.containsKey("report")) {
      j.put("report", o.getString("report"));
    }
    if (o.containsKey("partitions")) {
      j.put("partitions", o.getValue("partitions"));
    }
    String name = run.pipeline() != null ? run.pipeline() : json.getValue("name") instanceof String s ? s : "pipeline";
    return PipelineFiles.definition(j, name);
  }

  private static JsonObject objectAt(JsonObject j, String key) {
    return j.getValue(key) instanceof JsonObject o ? o.copy() : new JsonObject();
  }

  private Future<JobContext.Targets> resolve(PipelineDefinition def) {
    return vertx.executeBlocking(() -> new JobContext.Targets(
        write(def.output().path()), write(def.reportFile(false)), write(def.reportFile(true)),
        def.mode().trains() ? write(def.preprocessorPath()) : null,
        def.mode().trains() ? write(def.modelPath()) : null), false);
  }

  private Path write(String path) {
    return path == null ? null : options.outputRoots().resolveForWrite(path);
  }

  private Future<JsonObject> start(String id, PipelineDefinition def, JobContext.Targets targets, OutputLocks locks) {
    String cid = envelope() != null ? envelope().correlationId() : id;
    Refs refs = new Refs(vertx, cid, Duration.ofMillis(def.stageTimeoutMs()));
    Progress progress = new Progress(vertx, id, def.name(), Job.passSources(def));
    Job job = new Job(new JobContext(vertx, id, def, refs, options, targets, progress), locks);
    forget(id);
    jobs.put(id, job);
    MessageConsumer<Object> old = jobConsumers.put(id, vertx.eventBus().consumer(PipelineProtocol.jobAddress(id),
        this::onJobRequest));
    Future<Void> unregistered = old == null ? Future.succeededFuture() : old.unregister();
    job.run().onComplete(ar -> remember(id));
    JsonObject started = new JsonObject().put("job", id).put("state", "running")
        .put("progress", PipelineProtocol.progressAddress(id));
    // answered once every coordinator can find the job (its registration reached the cluster); were that
    // to fail, this instance still answers for it
    return unregistered.compose(v -> jobConsumers.get(id).completion()).transform(ar -> Future.succeededFuture(started));
  }

  /** Keeps what the ended job {@code id} left, within {@code keepEnded} and {@code keepEndedBytes}. */
  private void remember(String id) {
    Job job = jobs.remove(id);
    Job.Ended e = job.ended().within(options.keepEndedBytes(), "actors." + settings().name() + ".options.keepEndedBytes");
    ended.put(id, e);
    endedBytes += e.bytes();
    while (ended.size() > options.keepEnded() || endedBytes > options.keepEndedBytes()) {
      String gone = ended.keySet().iterator().next();
      forget(gone);
      MessageConsumer<Object> c = jobConsumers.remove(gone);
      if (c != null) {
        c.unregister();
      }
    }
  }

  private void forget(String id) {
    Job.Ended e = ended.remove(id);
    if (e != null) {
      endedBytes -= e.bytes();
    }
  }
}
