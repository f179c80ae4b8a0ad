package io.busflow.bench;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorRef;
import io.busflow.actor.Actors;
import io.busflow.actor.MessageDecoder;
import io.busflow.config.ActorConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * W3, messaging overhead: N request-replies of a small message with a window in flight, between two busflow
 * actors (a driver actor asking a pong actor) and, as the baseline, plain {@code eventBus().request()} to a
 * bare consumer, alternating rounds. Reports medians and their ratio.
 *
 * <p>Both sides run on the same event loops: the raw consumer is registered on the pong actor's context
 * and the raw requests are sent from the driver actor's context. Otherwise which loop each side landed on
 * decides the result: across two clustered nodes Vert.x writes every message to a node from the event loop
 * that opened the connection to it (the first sender's), and a side sharing its thread with that I/O runs
 * at half the speed of a side that does not — a 2× swing decided by deployment order, not by the code.
 */
final class PingBench {

  private static final String PONG = "bench.pong";
  private static final String RAW_PONG = "bench.raw.pong";
  private static final String DRIVER = "bench.driver";

  private PingBench() {}

  static void run(BenchArgs args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      deployPongs(vertx);
      double[] medians = measure(vertx, args, "W3 ping, one JVM");
      report("w3", "w3-ping.json", args, medians[0], medians[1]);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Deploys the busflow pong actor, with the raw pong consumer on its event loop, on {@code vertx}. */
  static void deployPongs(Vertx vertx) throws Exception {
    await(Actors.deploy(vertx, ActorConfig.defaults("pong", PONG), Pong::new));
  }

  /** Alternating rounds against pongs reachable from {@code vertx}; returns {busflow, raw} medians. */
  static double[] measure(Vertx vertx, BenchArgs args, String title) throws Exception {
    long requests = args.number("requests", 1_000_000);
    int inflight = (int) args.number("inflight", 128);
    int rounds = (int) args.number("rounds", 5);
    await(Actors.deploy(vertx, ActorConfig.defaults("driver", DRIVER), () -> new Driver(PONG)));
    System.out.printf("%s: %,d requests, %d in flight, %d rounds (+1 warm-up) per side%n",
        title, requests, inflight, rounds);
    double[] busflow = new double[rounds];
    double[] raw = new double[rounds];
    for (int r = -1; r < rounds; r++) {
      double b = busflowRound(vertx, requests, inflight);
      double w = rawRound(vertx, requests, inflight);
      if (r >= 0) {
        busflow[r] = b;
        raw[r] = w;
      }
      System.out.printf("  round %s: busflow %,.0f msgs/s   raw Vert.x %,.0f msgs/s%n",
          r < 0 ? "warm-up" : Integer.toString(r + 1), b, w);
    }
    return new double[] {Stats.median(busflow), Stats.median(raw)};
  }

  private static double busflowRound(Vertx vertx, long n, int inflight) throws Exception {
    return round(vertx, n, inflight, false);
  }

  private static double rawRound(Vertx vertx, long n, int inflight) throws Exception {
    return round(vertx, n, inflight, true);
  }

  private static double round(Vertx vertx, long n, int inflight, boolean raw) throws Exception {
    JsonObject job = new JsonObject().put("requests", n).put("inflight", inflight).put("raw", raw);
    JsonObject result = await(ActorRef.of(vertx, DRIVER).ask(job, java.time.Duration.ofMinutes(10)));
    return n / (result.getLong("nanos") / 1e9);
  }

  static void report(String label, String file, BenchArgs args, double busflow, double raw) throws IOException {
    double ratio = busflow / raw;
    System.out.printf("median: busflow %,.0f msgs/s, raw Vert.x %,.0f msgs/s, ratio %.2f%n", busflow, raw, ratio);
    Path dir = Path.of("target", "bench");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), new JsonObject()
        .put("workload", "W3").put("topology", label)
        .put("requests", args.number("requests", 1_000_000)).put("inflight", args.number("inflight", 128))
        .put("busflow_msgs_per_s", Math.round(busflow)).put("raw_vertx_msgs_per_s", Math.round(raw))
        .put("ratio", Math.round(ratio * 100) / 100.0).encodePrettily());
    System.out.printf("%s busflow_msgs_per_s=%d raw_vertx_msgs_per_s=%d ratio=%.2f%n",
        label, Math.round(busflow), Math.round(raw), ratio);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  /** Replies with the request's body; registers the baseline's bare consumer on its own event loop. */
  static final class Pong extends Actor<Object> {
    Pong() {
      super(PONG, MessageDecoder.any());
    }

    @Override
    protected Future<?> onStart() {
      return vertx.eventBus().consumer(RAW_PONG, m -> m.reply(m.body())).completion();
    }

    @Override
    protected Future<?> onMessage(Object message) {
      return Future.succeededFuture(message);
    }
  }

  /**
   * On {"requests", "inflight", "raw"}: asks the pong actor that many times, keeping the window full; with
   * {@code raw}, sends plain {@code eventBus().request()}s to the bare consumer instead, from the same loop.
   */
  static final class Driver extends Actor<JsonObject> {
    private final String target;

    Driver(String target) {
      super(DRIVER, MessageDecoder.json(j -> j));
      this.target = target;
    }

    @Override
    protected Future<JsonObject> onMessage(JsonObject job) {
      ActorRef ref = ref(target);
      Supplier<Future<?>> ping = job.getBoolean("raw", false)
          ? () -> vertx.eventBus().request(RAW_PONG, "ping")
          : () -> ref.ask("ping");
      Window w = new Window(ping, job.getLong("requests"), job.getInteger("inflight"));
      return w.run().map(nanos -> new JsonObject().put("nanos", nanos));
    }
  }

  /** Keeps {@code inflight} asks going until {@code total} have been answered. */
  private static final class Window {
    private final Supplier<Future<?>> ping;
    private final long total;
    private final int inflight;
    private final Promise<Long> done = Promise.promise();
    private long sent;
    private long answered;
    private long started;

    Window(Supplier<Future<?>> ping, long total, int inflight) {
      this.ping = ping;
      this.total = total;
      this.inflight = inflight;
    }

    Future<Long> run() {
      started = System.nanoTime();
      for (int i = 0; i < inflight && sent < total; i++) {
        send();
      }
      return done.future();
    }

    private void send() {
      sent++;
      ping.get().onComplete(ar -> answered(ar.failed() ? ar.cause() : null));
    }

    private void answered(Throwable failure) {
      if (failure != null) {
        done.tryFail(failure);
        return;
      }
      if (++answered == total) {
        done.tryComplete(System.nanoTime() - started);
      } else if (sent < total) {
        send();
      }
    }
  }
}
