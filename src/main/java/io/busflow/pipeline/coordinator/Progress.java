package io.busflow.pipeline.coordinator;

import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's progress: rows read over all its passes against an estimate of the total, rows per second and
 * the time left, published on the job's progress address when a pass begins, when its first rows are read, and
 * every {@value #PERIOD_MS} ms while it runs. The total is the sum of each pass's source: known once the pass opens its source, or once
 * the source was estimated ahead ({@link #estimate}); a pass over a source not known yet counts as the last
 * known one. Confined to the coordinator's context.
 */
final class Progress {

  static final long PERIOD_MS = 500;

  private final Vertx vertx;
  private final String job;
  private final String pipeline;
  private final List<String> sources;
  private final long[] estimates;
  private final Map<String, Long> bySource = new HashMap<>();
  private final long started = System.currentTimeMillis();
  private long rowsDone;
  /** {@link #rowsDone} when the current pass began: its first rows are published at once. */
  private long rowsAtPassStart;
  private int pass = -1;
  private String phase = "starting";
  private long timer = -1;

  /** Progress of a job whose passes read {@code sources}, one per pass in order. */
  Progress(Vertx vertx, String job, String pipeline, List<String> sources) {
    this.vertx = vertx;
    this.job = job;
    this.pipeline = pipeline;
    this.sources = List.copyOf(sources);
    this.estimates = new long[sources.size()];
    java.util.Arrays.fill(estimates, -1);
  }

  void start() {
    timer = vertx.setPeriodic(PERIOD_MS, id -> publish());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** The source each pass reads, in order. */
  List<String> sources() {
    return sources;
  }

  /** {@code source} has about {@code rows} rows (-1: unknown), learnt before a pass reads it. */
  void estimate(String source, long rows) {
    if (rows >= 0) {
      bySource.put(source, rows);
    }
  }

  /** A new pass begins over a source of about {@code rows} rows (-1: unknown). */
  void pass(String name, long rows) {
    phase = name;
    rowsAtPassStart = rowsDone;
    pass = Math.min(pass + 1, estimates.length - 1);
    estimates[pass] = rows;
    if (pass >= 0) {
      estimate(sources.get(pass), rows);
    }
    publish();
  }

  /** The pass goes on to a step that reads no rows, named {@code name} (a model's solve after its pass). */
  void step(String name) {
    phase = name;
    publish();
  }

  void rowsRead(long n) {
    boolean first = rowsDone == rowsAtPassStart && n > 0;
    rowsDone += n;
    if (first) {
      publish();
    }
  }

  long elapsedMs() {
    return System.currentTimeMillis() - started;
  }

  JsonObject snapshot() {
    long elapsed = Math.max(1, elapsedMs());
    long total = total();
    double rate = rowsDone * 1000.0 / elapsed;
    JsonObject j = new JsonObject().put("job", job).put("pipeline", pipeline).put("state", "running")
        .put("phase", phase).put("pass", pass + 1).put("passes", estimates.length).put("rowsDone", rowsDone)
        .put("rowsTotal", total).put("rowsPerSecond", Math.round(rate)).put("elapsedMs", elapsed);
    return total > 0 && rate > 0 ? j.put("etaSeconds", Math.max(0, Math.round((total - rowsDone) / rate))) : j;
  }

  /** The final counts for a report: rows read over all passes, the total (the rows read, once succeeded), rows/s. */
  JobReport.Counts totals(boolean succeeded) {
    long elapsed = Math.max(1, elapsedMs());
    return new JobReport.Counts(rowsDone, succeeded ? rowsDone : total(), Math.round(rowsDone * 1000.0 / elapsed));
  }

  /** The counts so far, as {@link #snapshot} shows them. */
  JobReport.Counts counts() {
    long elapsed = Math.max(1, elapsedMs());
    return new JobReport.Counts(rowsDone, total(), Math.round(rowsDone * 1000.0 / elapsed));
  }

  private long total() {
    long known = -1;
    long sum = 0;
    for (int i = 0; i < estimates.length; i++) {
      long e = estimates[i] >= 0 ? estimates[i] : bySource.getOrDefault(sources.get(i), -1L);
      known = e >= 0 ? e : known;
      sum += e >= 0 ? e : Math.max(known, 0);
    }
    return Math.max(sum, rowsDone);
  }

  private void publish() {
    vertx.eventBus().publish(PipelineProtocol.progressAddress(job), snapshot());
  }
}
