package io.busflow.actor.internal;

import io.busflow.actor.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * Counters of one actor instance, written by its own thread and readable from any thread: received,
 * replied, failed by code, mailbox depth, processing time, crashes, and requests processed per second over the
 * last {@value #WINDOW_S} whole seconds.
 */
public final class ActorCounters implements io.busflow.actor.ActorStats {

  /** The seconds over which {@link #throughput()} averages. */
  public static final int WINDOW_S = 10;

  private final String name;
  private final String address;
  private final String threading;
  private final String instanceId;
  private final IntSupplier depth;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong replied = new AtomicLong();
  private final AtomicLongArray failed = new AtomicLongArray(ErrorCode.values().length);
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong processingNanos = new AtomicLong();
  private final AtomicLong maxProcessingNanos = new AtomicLong();
  private final AtomicLong crashes = new AtomicLong();
  /** Requests processed in each of the last seconds: bucket {@code s % WINDOW_S} counts epoch second {@code s}. */
  private final AtomicLongArray perSecond = new AtomicLongArray(WINDOW_S);
  private final AtomicLongArray bucketSecond = new AtomicLongArray(WINDOW_S);
  private volatile ProcessingListener listener = ProcessingListener.NONE;

  /** Observes every processed request (for latency histograms). Called on the actor's thread. */
  public interface ProcessingListener {
    ProcessingListener NONE = (counters, nanos) -> { };

    void processed(ActorCounters counters, long nanos);
  }

  public ActorCounters(String name, String address, String threading, String instanceId, IntSupplier depth) {
    this.name = name;
    this.address = address;
    this.threading = threading;
    this.instanceId = instanceId;
    this.depth = depth;
  }

  public void received() {
    received.incrementAndGet();
  }

  public void replied() {
    replied.incrementAndGet();
  }

  public void failed(ErrorCode code) {
    failed.incrementAndGet(code.ordinal());
  }

  public void processed(long nanos) {
    processed.incrementAndGet();
    processingNanos.addAndGet(nanos);
    if (nanos > maxProcessingNanos.get()) {
      maxProcessingNanos.set(nanos);
    }
    countSecond(System.currentTimeMillis() / 1000);
    listener.processed(this, nanos);
  }

  private void countSecond(long second) {
    int i = (int) (second % WINDOW_S);
    if (bucketSecond.get(i) != second) {
      perSecond.set(i, 0);
      bucketSecond.set(i, second);
    }
    perSecond.incrementAndGet(i);
  }

  /** Requests processed per second, averaged over the last {@value #WINDOW_S} whole seconds. */
  public double throughput() {
    return throughput(System.currentTimeMillis());
  }

  /** {@link #throughput()} as it is at {@code nowMs}. */
  double throughput(long nowMs) {
    long now = nowMs / 1000;
    long sum = 0;
    for (int i = 0; i < WINDOW_S; i++) {
      long s = bucketSecond.get(i);
      sum += s < now && s >= now - WINDOW_S ? perSecond.get(i) : 0;
    }
    return (double) sum / WINDOW_S;
  }

  /** Adds the counts of {@code gone}, an instance that went away, to these (not its mailbox or throughput). */
  public void absorb(ActorCounters gone) {
    received.addAndGet(gone.received.get());
    replied.addAndGet(gone.replied.get());
    for (int i = 0; i < failed.length(); i++) {
      failed.addAndGet(i, gone.failed.get(i));
    }
    processed.addAndGet(gone.processed.get());
    processingNanos.addAndGet(gone.processingNanos.get());
    maxProcessingNanos.accumulateAndGet(gone.maxProcessingNanos.get(), Math::max);
    crashes.addAndGet(gone.crashes.get());
  }

  public void crashed() {
    crashes.incrementAndGet();
  }

  public void listener(ProcessingListener l) {
    this.listener = l == null ? ProcessingListener.NONE : l;
  }

  @Override
  public void onProcessed(java.util.function.LongConsumer nanos) {
    listener((counters, n) -> nanos.accept(n));
  }

  public String name() {
    return name;
  }

  public String address() {
    return address;
  }

  public String instanceId() {
    return instanceId;
  }

  public String threading() {
    return threading;
  }

  public long receivedCount() {
    return received.get();
  }

  public long repliedCount() {
    return replied.get();
  }

  public long failedCount(ErrorCode code) {
    return failed.get(code.ordinal());
  }

  public long crashCount() {
    return crashes.get();
  }

  public int mailboxDepth() {
    return depth.getAsInt();
  }

  public Map<ErrorCode, Long> failures() {
    Map<ErrorCode, Long> out = new EnumMap<>(ErrorCode.class);
    for (ErrorCode c : ErrorCode.values()) {
      long n = failed.get(c.ordinal());
      if (n > 0) {
        out.put(c, n);
      }
    }
    return out;
  }

  public JsonObject toJson() {
    JsonObject fails = new JsonObject();
    failures().forEach((c, n) -> fails.put(c.name(), n));
    long n = processed.get();
    return new JsonObject()
        .put("received", received.get())
        .put("replied", replied.get())
        .put("failed", fails)
        .put("mailboxDepth", mailboxDepth())
        .put("processed", n)
        .put("meanProcessingMs", n == 0 ? 0.0 : processingNanos.get() / 1e6 / n)
        .put("maxProcessingMs", maxProcessingNanos.get() / 1e6)
        .put("crashes", crashes.get())
        .put("throughputPerSecond", throughput());
  }
}
