package io.busflow.actor;

import io.busflow.actor.internal.ActorRegistry;
import io.busflow.actor.internal.Codecs;
import io.busflow.actor.internal.NodeDirectory;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.Threading;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys supervised actors. {@code instances: N} becomes N instances on one address; each instance that
 * crashes (start-up failure, {@link Actor#crash}, too many failures in the window) is redeployed with
 * exponential backoff up to {@code maxRestarts} in a row, and its queued requests are handed to the new
 * instance — or failed with {@link ErrorCode#ACTOR_FAILED} when the supervisor gives up.
 */
public final class Actors {

  /**
   * Publish-only: every failure and every undelivered message, as {@code {address, reason, correlationId,
   * message, timestamp}}. Subscribe here to observe them.
   */
  public static final String DEAD_LETTERS = "busflow.deadletters";


  private static final Logger LOG = LoggerFactory.getLogger(Actors.class);

  private Actors() {}

  /**
   * Registers busflow's message codecs ({@link CodecProvider}s) on {@code vertx}, once: what a verticle of its own
   * that exchanges busflow's records (a batch, say) calls before it registers a consumer.
   */
  public static void registerCodecs(Vertx vertx) {
    Codecs.ensureRegistered(vertx);
  }

  /**
   * Whether an instance of an actor at {@code address} that any ask on this node can reach (not a
   * {@link Threading#PER_LOOP} one) runs in {@code vertx} (this node) right now.
   */
  public static boolean runsHere(Vertx vertx, String address) {
    return ActorRegistry.of(vertx).instances().stream().anyMatch(c -> c.address().equals(address)
        && !c.threading().equals(Threading.PER_LOOP.name()));
  }

  /**
   * Deploys {@code config.instances()} supervised instances — for {@link Threading#PER_LOOP}, one on each event loop
   * of {@code vertx}, one after the other — and completes when every one is registered.
   */
  public static Future<ActorDeployment> deploy(Vertx vertx, ActorConfig config,
                                               Supplier<? extends Actor<?>> factory) {
    ActorDeployment d = new ActorDeployment(vertx, config, factory);
    ActorRegistry.of(vertx).expect(config.name(), config.address());
    NodeDirectory.serve(vertx);
    List<Future<Void>> starts = new ArrayList<>();
    if (config.threading() == Threading.PER_LOOP) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < instances(vertx, config); i++) {
        Slot slot = new Slot(i);
        chain = chain.compose(v -> d.startSlot(slot));
      }
      starts.add(chain);
    } else {
      for (int i = 0; i < config.instances(); i++) {
        starts.add(d.startSlot(new Slot(i)));
      }
    }
    return Future.all(starts)
        .map(d)
        .recover(t -> d.undeploy().transform(ar -> Future.failedFuture(t)));
  }

  /** How many instances {@link #deploy} runs of {@code config} on {@code vertx}. */
  public static int instances(Vertx vertx, ActorConfig config) {
    return config.threading() == Threading.PER_LOOP ? eventLoops(vertx) : config.instances();
  }

  /** How many event loops {@code vertx} has. */
  private static int eventLoops(Vertx vertx) {
    int n = 0;
    for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      n++;
    }
    return n;
  }

  static final class Slot {
    final int index;
    volatile Actor<?> actor;
    int restarts;
    long startedAt;

    Slot(int index) {
      this.index = index;
    }
  }

  /** A running, supervised actor: its configuration, its instances' ids, restarts, and undeploy. */
  public static final class ActorDeployment {
    private final Vertx vertx;
    private final ActorConfig config;
    private final Supplier<? extends Actor<?>> factory;
    /** Where every instance is deployed from, so restarts keep the original parent deployment. */
    private final Context home;
    private final List<Slot> slots = new ArrayList<>();
    private volatile boolean stopping;
    private volatile int totalRestarts;

    private ActorDeployment(Vertx vertx, ActorConfig config, Supplier<? extends Actor<?>> factory) {
      this.vertx = vertx;
      this.config = config;
      this.factory = factory;
      this.home = vertx.getOrCreateContext();
    }

    public ActorConfig config() {
      return config;
    }

    public String address() {
      return config.address();
    }

    /** Restarts since deployment, over all instances. */
    public int restarts() {
      return totalRestarts;
    }

    /** The instances placed now, one per slot. */
    List<Actor<?>> placed() {
      synchronized (slots) {
        return slots.stream().<Actor<?>>map(s -> s.actor).filter(java.util.Objects::nonNull).toList();
      }
    }

    /** Undeploys every instance, each draining its mailbox first. */
    public Future<Void> undeploy() {
      if (!stopping) {
        ActorRegistry.of(vertx).forget(config.name(), config.address());
      }
      stopping = true;
      List<Future<Void>> all = new ArrayList<>();
      synchronized (slots) {
        for (Slot s : slots) {
          Actor<?> a = s.actor;
          if (a != null && a.deploymentID() != null) {
            all.add(vertx.undeploy(a.deploymentID()).recover(t -> Future.succeededFuture()));
          }
        }
      }
      return Future.all(all).mapEmpty();
    }

    Future<Void> startSlot(Slot slot) {
      synchronized (slots) {
        slots.add(slot);
      }
      Promise<Void> started = Promise.promise();
      attempt(slot, 1, started, null);
      return started.future();
    }

    private void attempt(Slot slot, int attempt, Promise<Void> started, Actor<?> predecessor) {
      LOG.debug("actor '{}': deploying instance {} (attempt {})", config.name(), slot.index, attempt);
      deployInstance(slot)
          .onSuccess(a -> {
            LOG.debug("actor '{}': instance {} up as {}", config.name(), slot.index, a.deploymentID());
            if (predecessor != null) {
              predecessor.successor(a);
              vertx.undeploy(predecessor.deploymentID());
            }
            started.tryComplete();
          })
          .onFailure(t -> retryOrGiveUp(slot, attempt, started, predecessor, t));
    }

    private void retryOrGiveUp(Slot slot, int attempt, Promise<Void> started, Actor<?> predecessor, Throwable t) {
      if (t instanceof ConfigException || attempt > config.supervision().maxRestarts() || stopping) {
        LOG.error("actor '{}' at '{}': instance {} failed to start {} time(s); giving up: {}", config.name(),
            config.address(), slot.index, attempt, t.toString());
        if (predecessor != null) {
          vertx.undeploy(predecessor.deploymentID());
        }
        started.tryFail(t);
        return;
      }
      long delay = config.supervision().backoffMs(attempt);
      LOG.warn("actor '{}' at '{}': instance {} failed to start ({}); retry {} in {} ms", config.name(),
          config.address(), slot.index, t.toString(), attempt, delay);
      vertx.setTimer(Math.max(1, delay), id -> attempt(slot, attempt + 1, started, predecessor));
    }

    private Future<Actor<?>> deployInstance(Slot slot) {
      Promise<Actor<?>> deployed = Promise.promise();
      home.runOnContext(v -> deployFromHome(slot).onComplete(deployed));
      return deployed.future();
    }

    private Future<Actor<?>> deployFromHome(Slot slot) {
      return deployFromHome(slot, config.threading() == Threading.PER_LOOP ? 2 * instances(vertx, config) : 0);
    }

    /**
     * Deploys {@code slot}'s instance; one that landed on an event loop where another instance of this actor runs is
     * undeployed and deployed again, at most {@code moves} times: Vert.x hands event loops out in turn, and other
     * deployments may take turns meanwhile. Past that it stays, and the loop left without one has its asks go to the
     * address's other instances.
     */
    private Future<Actor<?>> deployFromHome(Slot slot, int moves) {
      Actor<?> a = factory.get();
      a.crashListener((actor, cause) -> onCrash(slot, actor));
      DeploymentOptions opts = new DeploymentOptions()
          .setConfig(config.toJson().put("name", config.name()))
          .setThreadingModel(config.threading() == Threading.WORKER ? ThreadingModel.WORKER
              : ThreadingModel.EVENT_LOOP);
      return vertx.deployVerticle(a, opts).compose(id -> {
        if (config.threading() == Threading.PER_LOOP && loopTaken(slot, a)) {
          if (moves > 0) {
            return vertx.undeploy(id).compose(v -> deployFromHome(slot, moves - 1));
          }
          LOG.info("actor '{}' at '{}': instance {} stays on an event loop that has another one (no free loop "
              + "found by moving it); the asks made on a loop left without one go to the address's other "
              + "instances", config.name(), config.address(), slot.index);
        }
        slot.actor = a;
        slot.startedAt = System.currentTimeMillis();
        return Future.succeededFuture(a);
      });
    }

    private boolean loopTaken(Slot slot, Actor<?> a) {
      EventLoop loop = ((ContextInternal) a.actorContext()).nettyEventLoop();
      synchronized (slots) {
        return slots.stream().anyMatch(s -> s != slot && s.actor != null
            && ((ContextInternal) s.actor.actorContext()).nettyEventLoop() == loop);
      }
    }

    private void onCrash(Slot slot, Actor<?> crashed) {
      if (stopping) {
        vertx.undeploy(crashed.deploymentID());
        return;
      }
      if (System.currentTimeMillis() - slot.startedAt > config.supervision().windowMs()) {
        slot.restarts = 0; // it ran well for a whole window: start counting afresh
      }
      slot.restarts++;
      totalRestarts++;
      ActorRegistry.of(vertx).restarted(config.name(), config.address());
      if (slot.restarts > config.supervision().maxRestarts()) {
        LOG.error("actor '{}' at '{}': instance {} crashed {} times in a row; giving up, its queued requests "
            + "fail with ACTOR_FAILED", config.name(), config.address(), slot.index, slot.restarts);
        vertx.undeploy(crashed.deploymentID());
        return;
      }
      long delay = config.supervision().backoffMs(slot.restarts);
      LOG.warn("actor '{}' at '{}': restarting instance {} in {} ms (restart {} of at most {})", config.name(),
          config.address(), slot.index, delay, slot.restarts, config.supervision().maxRestarts());
      vertx.setTimer(Math.max(1, delay), id -> attempt(slot, 1, Promise.promise(), crashed));
    }
  }
}
