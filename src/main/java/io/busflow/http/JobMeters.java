package io.busflow.http;

import io.busflow.pipeline.protocol.PipelineProtocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Job series, counted on the node whose coordinator ran the job, from the final report it publishes on the
 * job's progress address: {@code busflow_jobs_total{pipeline,mode,state}},
 * {@code busflow_job_duration_seconds{pipeline,mode,state}} (a histogram) and
 * {@code busflow_job_rows_total{pipeline,mode}} (rows read over all passes). Their labels take one value per
 * pipeline, mode and end state, never one per job.
 */
final class JobMeters {

  /** What comes before and after the job id in a progress address. */
  private static final String[] AROUND_ID = PipelineProtocol.progressAddress("\n").split("\n");
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofHours(1)};

  private final MeterRegistry meters;

  private JobMeters(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Counts every job whose final report {@code vertx} publishes, in {@code meters}. */
  static void bind(Vertx vertx, MeterRegistry meters) {
    JobMeters m = new JobMeters(meters);
    vertx.eventBus().addOutboundInterceptor(m::observe);
  }

  private void observe(DeliveryContext<Object> dc) {
    String address = dc.message().address();
    if (address.startsWith(AROUND_ID[0]) && address.endsWith(AROUND_ID[1]) && dc.body() instanceof JsonObject r
        && r.getBoolean("final", false)) {
      ended(r);
    }
    dc.next();
  }

  private void ended(JsonObject r) {
    Tags job = Tags.of("pipeline", r.getString("pipeline", ""), "mode", r.getString("mode", ""));
    Tags ended = job.and("state", r.getString("state", ""));
    Counter.builder("busflow.jobs").description("jobs ended, by pipeline, mode and end state").tags(ended)
        .register(meters).increment();
    Timer.builder("busflow.job.duration").description("a job's time from start to end").tags(ended)
        .serviceLevelObjectives(BUCKETS).register(meters).record(Duration.ofMillis(r.getLong("elapsedMs", 0L)));
    Counter.builder("busflow.job.rows").description("rows read by jobs, over all their passes").tags(job)
        .register(meters).increment(r.getLong("rowsDone", 0L));
  }
}
