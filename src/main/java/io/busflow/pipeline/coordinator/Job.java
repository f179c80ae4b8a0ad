package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.internal.AtomicFiles;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.JobReport.State;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline: its training and scoring phases, its progress, and its report.
 *
 * <p>Guarantees: the job ends exactly once, as {@code succeeded}, {@code failed} or {@code cancelled};
 * when it does not succeed, the output path holds no partial file (the temporary file is deleted); the
 * report — written when the pipeline has a {@code report} path (named per mode and outcome, see
 * {@link PipelineDefinition#reportFile}; never by a cancelled job), returned by {@code status}, and
 * published with {@code "final":true} on the progress address — says what was done and, on failure, the
 * error code and a message naming the place, the value and the remedy. Its output locks are released at
 * the end. Confined to the coordinator's context.
 */
final class Job {

  private static final Logger LOG = LoggerFactory.getLogger(Job.class);

  /**
   * What the coordinator keeps of a job once it ended: its summary and report, and their estimated size (2
   * bytes a character of their JSON); nothing of the job's context, stages or fitted state.
   */
  record Ended(String id, State state, JsonObject summary, JsonObject report, long bytes) {

    /** This job with its report cut to the summary and a note, when the report is larger than {@code maxBytes}. */
    Ended within(long maxBytes, String key) {
      if (bytes <= maxBytes) {
        return this;
      }
      JsonObject cut = summary.copy().put("note", "the report of job '" + id + "' takes about " + bytes
          + " bytes, more than the " + maxBytes + " bytes of " + key + "; only its summary is kept here"
          + (report.getString("report") == null ? "" : ", the whole report is in " + report.getString("report")));
      return new Ended(id, state, summary, cut, 2L * (summary.encode().length() + cut.encode().length()));
    }
  }

  private final JobContext ctx;
  private final OutputLocks locks;
  private final Training training;
  private final Scoring scoring;
  private final Instant startedAt = Instant.now();
  private State state = State.RUNNING;
  private JobReport report;

  Job(JobContext ctx, OutputLocks locks) {
    this.ctx = ctx;
    this.locks = locks;
    this.training = new Training(ctx);
    this.scoring = new Scoring(ctx);
  }

  /**
   * The source each pass of a job of {@code def} reads, in the order the passes run (for progress estimates):
   * fitting the preprocessing and the model, evaluating, cross-validating, then scoring.
   */
  static List<String> passSources(PipelineDefinition def) {
    List<String> out = new ArrayList<>();
    if (def.mode().trains()) {
      out.add(def.source());
      out.add(def.source());
      if (def.split() instanceof PipelineDefinition.TestSource t) {
        out.add(t.source());
      } else if (!(def.split() instanceof PipelineDefinition.Fraction f && f.test() == 0)) {
        out.add(def.source());
      }
      int cv = def.crossValidation() == null ? 0 : 1 + 3 * def.crossValidation().folds();
      out.addAll(Collections.nCopies(cv, def.source()));
    }
    if (def.mode().scores()) {
      out.add(def.scoringSource());
    }
    return out;
  }

  String id() {
    return ctx.job;
  }

  State state() {
    return state;
  }

  /** Runs the job; completes with its report, whatever the outcome (it never fails). */
  Future<JobReport> run() {
    LOG.info("job '{}' of pipeline '{}' started ({})", ctx.job, ctx.def.name(), ctx.def.mode().label());
    ctx.progress.start();
    return ctx.estimateLaterSources().compose(v -> phases()).transform(ar -> end(ar.cause()));
  }

  private Future<Void> phases() {
    Future<Training.Result> fitted = ctx.def.mode().trains() ? training.run() : scoring.load();
    return fitted.compose(f -> ctx.def.mode().scores() ? scoring.run(f) : Future.succeededFuture());
  }

  /**
   * Asks the job to stop; it ends as cancelled before its next batch or, while a stage fits, at the fit's
   * next iteration, having written nothing.
   */
  void cancel() {
    ctx.cancel();
  }

  /** The progress while running, the report once ended. */
  JsonObject status() {
    return report != null ? report.toJson() : ctx.progress.snapshot();
  }

  /**
   * What a list of jobs shows of this one: {@code {"job","pipeline","mode","state","rowsDone","rowsTotal",
   * "rowsPerSecond","startedAt","endedAt","error"?}}; {@code endedAt} is null until its report is ready.
   */
  JsonObject summary() {
    JobReport.Counts counts = report != null ? report.counts() : ctx.progress.counts();
    JsonObject s = new JsonObject().put("job", ctx.job).put("pipeline", ctx.def.name())
        .put("mode", ctx.def.mode().label()).put("state", state.label())
        .put("rowsDone", counts.rowsDone()).put("rowsTotal", counts.rowsTotal())
        .put("rowsPerSecond", counts.rowsPerSecond()).put("startedAt", startedAt.toString())
        .put("endedAt", report == null ? null : report.finishedAt().toString());
    return report != null && report.error() != null ? s.put("error", report.toJson().getJsonObject("error")) : s;
  }

  /** This job as the coordinator keeps it once ended (its report must be ready). */
  Ended ended() {
    JsonObject summary = summary();
    JsonObject json = report.toJson();
    return new Ended(ctx.job, state, summary, json, 2L * (summary.encode().length() + json.encode().length()));
  }

  private Future<JobReport> end(Throwable cause) {
    ctx.progress.stop();
    boolean cancelled = cause instanceof JobCancelledException || (cause != null && ctx.cancelled);
    state = cause == null ? State.SUCCEEDED : cancelled ? State.CANCELLED : State.FAILED;
    Throwable why = cancelled ? new JobCancelledException() : cause;
    Future<Void> cleanup = cause == null ? Future.succeededFuture() : scoring.abort();
    return cleanup.compose(v -> writeReport(build(why)))
        .eventually(() -> release())
        .map(r -> {
          report = r;
          log(why);
          ctx.vertx.eventBus().publish(PipelineProtocol.progressAddress(ctx.job), r.toJson().put("final", true));
          return r;
        });
  }

  private Future<Void> release() {
    locks.release();
    ctx.calls.stop();
    return ctx.executor.close().recover(t -> Future.succeededFuture());
  }

  private JobReport build(Throwable cause) {
    return new JobReport(ctx.job, ctx.def.name(), ctx.def.mode(), state, startedAt, Instant.now(),
        ctx.progress.elapsedMs(), ctx.progress.totals(cause == null),
        state == State.CANCELLED ? cause.getMessage() : null, state == State.FAILED ? error(cause) : null,
        ctx.def.mode().trains() ? training.report() : null, ctx.def.mode().scores() ? scoring.report() : null,
        ctx.calls.report(), cause == null && ctx.targets.output() != null ? ctx.shown(ctx.targets.output()) : null,
        null, null);
  }

  private static JobReport.Error error(Throwable cause) {
    ActorException e = ActorException.of(Failures.map(cause, null), PipelineProtocol.ADDRESS);
    return new JobReport.Error(e.code().name(), e.getMessage());
  }

  /**
   * Writes the report: a succeeded job's to {@code report} (deleting a stale failed report beside it), a
   * failed job's to {@code failedReport}; a cancelled job writes nothing.
   */
  private Future<JobReport> writeReport(JobReport unwritten) {
    Path target = state == State.SUCCEEDED ? ctx.targets.report() : ctx.targets.failedReport();
    if (target == null || state == State.CANCELLED) {
      return Future.succeededFuture(unwritten);
    }
    JobReport r = unwritten.withReport(ctx.shown(target));
    String text = r.toJson().encodePrettily();
    Path stale = state == State.SUCCEEDED ? ctx.targets.failedReport() : null;
    return ctx.executor.executeBlocking(() -> {
      AtomicFiles.write(target, text);
      if (stale != null) {
        Files.deleteIfExists(stale);
      }
      return r;
    }, true).recover(t -> Future.succeededFuture(r.withReportError(t.getMessage())));
  }

  private void log(Throwable cause) {
    if (cause == null) {
      LOG.info("job '{}' succeeded in {} ms", ctx.job, ctx.progress.elapsedMs());
    } else if (state == State.CANCELLED) {
      LOG.info("job '{}' cancelled after {} ms", ctx.job, ctx.progress.elapsedMs());
    } else if (Failures.map(cause, null) instanceof ActorException e && e.code() != ErrorCode.ACTOR_FAILED) {
      LOG.info("job '{}' failed ({}): {}", ctx.job, e.code(), e.getMessage());
    } else if (Failures.map(cause, null) instanceof ActorException e) {
      LOG.warn("job '{}' failed ({}): {}", ctx.job, e.code(), e.getMessage());
    } else {
      LOG.error("job '{}' failed on a bug", ctx.job, cause);
    }
  }
}
