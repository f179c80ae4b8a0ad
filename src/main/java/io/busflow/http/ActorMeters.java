package io.busflow.http;

import io.busflow.actor.ActorStats;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.NodeActors;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Per-actor Prometheus series, one set per actor (name and address, summed over its instances), tagged
 * {@code actor}, {@code address}, {@code node}: {@code busflow_actor_received_total},
 * {@code busflow_actor_replied_total}, {@code busflow_actor_failed_total{code}},
 * {@code busflow_actor_crashes_total}, {@code busflow_actor_mailbox_depth}, {@code busflow_actor_instances} and
 * the processing-time histogram {@code busflow_actor_processing_seconds}. Counters stay monotonic across
 * restarts: the counts of an instance that went away are kept while its actor is deployed under supervision.
 * An actor with no instance left and none expected (a job's cursor or fit session, an undeployed actor) has
 * its series removed, so that the series do not grow with the jobs run.
 */
final class ActorMeters {

  private static final Duration[] BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  /** A counted quantity of an instance. */
  private record Measure(String name, String help, Tags extra, ToLongFunction<ActorStats> read) {}

  private static final List<Measure> MEASURES = measures();

  private final MeterRegistry meters;
  private final NodeActors actors;
  private final Map<String, Group> groups = new ConcurrentHashMap<>();

  private ActorMeters(MeterRegistry meters, NodeActors actors) {
    this.meters = meters;
    this.actors = actors;
  }

  /** Registers the series of every actor of {@code actors}, now and later, in {@code meters}. */
  static void bind(MeterRegistry meters, NodeActors actors) {
    ActorMeters m = new ActorMeters(meters, actors);
    actors.onGone(m::gone);
    actors.forEachInstance(m::added);
  }

  private static List<Measure> measures() {
    List<Measure> out = new ArrayList<>();
    out.add(new Measure("busflow.actor.received", "requests that reached the mailbox", Tags.empty(),
        ActorStats::receivedCount));
    out.add(new Measure("busflow.actor.replied", "requests answered with a result", Tags.empty(),
        ActorStats::repliedCount));
    out.add(new Measure("busflow.actor.crashes", "instance crashes (each followed by a supervised restart)",
        Tags.empty(), ActorStats::crashCount));
    for (ErrorCode code : ErrorCode.values()) {
      out.add(new Measure("busflow.actor.failed", "requests answered with a failure, by code",
          Tags.of("code", code.name()), c -> c.failedCount(code)));
    }
    return List.copyOf(out);
  }

  private void added(ActorStats c) {
    Group g = groups.compute(NodeActors.key(c.name(), c.address()), (k, old) -> {
      Group group = old != null ? old : register(c);
      group.add(c);
      return group;
    });
    c.onProcessed(nanos -> g.timer.record(nanos, TimeUnit.NANOSECONDS));
  }

  /** Removes the series of actor {@code key} when it has no instance left and none expected. */
  private void gone(String key) {
    groups.computeIfPresent(key, (k, g) -> g.unused() && !actors.expected().contains(k) ? g.unregister() : g);
  }

  private Group register(ActorStats first) {
    Tags tags = Tags.of("actor", first.name(), "address", first.address(), "node", actors.nodeName());
    Timer timer = Timer.builder("busflow.actor.processing")
        .description("time an actor spent on one request, from the start of its handler to its reply")
        .tags(tags).serviceLevelObjectives(BUCKETS).register(meters);
    Group g = new Group(timer);
    g.registered.add(timer);
    for (int i = 0; i < MEASURES.size(); i++) {
      Measure m = MEASURES.get(i);
      int index = i;
      g.registered.add(FunctionCounter.builder(m.name(), g, group -> group.total(index))
          .description(m.help()).tags(tags.and(m.extra())).register(meters));
    }
    g.registered.add(Gauge.builder("busflow.actor.mailbox.depth", g, Group::depth)
        .description("requests queued or in progress").tags(tags).register(meters));
    g.registered.add(Gauge.builder("busflow.actor.instances", g, Group::running).description("running instances")
        .tags(tags).register(meters));
    return g;
  }

  /** The instances of one actor: the running ones, and the totals of those gone. */
  private final class Group {
    private final Timer timer;
    private final List<Meter> registered = new ArrayList<>();
    private final List<ActorStats> known = new ArrayList<>();
    private final long[] retired = new long[MEASURES.size()];

    Group(Timer timer) {
      this.timer = timer;
    }

    synchronized void add(ActorStats c) {
      known.add(c);
    }

    synchronized double total(int measure) {
      retireGone();
      long sum = retired[measure];
      for (ActorStats c : known) {
        sum += MEASURES.get(measure).read().applyAsLong(c);
      }
      return sum;
    }

    synchronized double depth() {
      retireGone();
      return known.stream().mapToInt(ActorStats::mailboxDepth).sum();
    }

    synchronized double running() {
      retireGone();
      return known.size();
    }

    synchronized boolean unused() {
      retireGone();
      return known.isEmpty();
    }

    /** Removes this actor's series from the registry; returns null (no group left). */
    Group unregister() {
      registered.forEach(meters::remove);
      return null;
    }

    /** Folds the counts of instances no longer registered into the totals, and forgets them. */
    private void retireGone() {
      List<ActorStats> live = actors.instances();
      known.removeIf(c -> !live.contains(c) && fold(c));
    }

    private boolean fold(ActorStats c) {
      for (int i = 0; i < retired.length; i++) {
        retired[i] += MEASURES.get(i).read().applyAsLong(c);
      }
      return true;
    }
  }
}
