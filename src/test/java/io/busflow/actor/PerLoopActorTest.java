package io.busflow.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.config.Threading;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code threading: per-loop}: one instance on each event loop, taking the asks made on its own loop while it is
 * idle; every other ask goes to the address's other instances.
 */
@ExtendWith(VertxExtension.class)
class PerLoopActorTest {

  private static final String ADDRESS = "test.perloop";
  private static final int LOOPS = 3;

  private Vertx vertx;
  private Context home;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    home = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Requests held by {@link Where}: {@code reached} completes when the first arrives. */
  static final class Held {
    final ConcurrentLinkedQueue<Promise<String>> requests = new ConcurrentLinkedQueue<>();
    final Promise<Void> reached = Promise.promise();

    void releaseAll() {
      requests.forEach(p -> p.complete(""));
    }
  }

  /** Answers {@code tag:thread}; holds a {@code "hold"} request until the test lets it go. */
  static final class Where extends Actor<String> {
    final String tag;
    final Held held;

    Where(String tag, Held held) {
      super(ADDRESS, MessageDecoder.ofType(String.class));
      this.tag = tag;
      this.held = held;
    }

    @Override
    protected Future<?> onMessage(String message) {
      String answer = tag + ":" + Thread.currentThread().getName();
      if (message.equals("crash")) {
        crash(new IllegalStateException("crashed by the test"));
        return Future.succeededFuture(answer);
      }
      if (message.equals("forward") && tag.equals("loop")) {
        return replyLater(ref(ADDRESS).ask("where")); // as a per-loop stage hands on its big work
      }
      if (message.equals("hold")) {
        Promise<String> p = Promise.promise();
        held.requests.add(p);
        held.reached.tryComplete();
        return p.future().map(v -> answer);
      }
      return Future.succeededFuture(answer);
    }
  }

  /** A verticle on one event loop that asks {@code ADDRESS} {@code message} and reports its own thread too. */
  static final class Asker extends VerticleBase {
    final String message;
    final List<Future<String[]>> answers;

    Asker(String message, List<Future<String[]>> answers) {
      this.message = message;
      this.answers = answers;
    }

    @Override
    public Future<?> start() {
      String me = Thread.currentThread().getName();
      Future<String[]> f = ActorRef.of(vertx, ADDRESS).<String>ask(message).map(a -> new String[] {me, a});
      synchronized (answers) {
        answers.add(f);
      }
      return Future.succeededFuture();
    }
  }

  private Future<Actors.ActorDeployment> deploy(String name, Threading threading, int instances, Held held) {
    ActorConfig c = ActorConfig.defaults(name, ADDRESS).withThreading(threading).withInstances(instances);
    return Actors.deploy(vertx, c, () -> new Where(name, held));
  }

  /**
   * Deploys {@code askers} verticles with {@code model} that each ask {@code message} once; deployed from a context of
   * no deployment, so that they are not children of an actor instance's.
   */
  private Future<List<String[]>> askFrom(ThreadingModel model, int askers, String message) {
    List<Future<String[]>> answers = new ArrayList<>();
    Promise<List<String[]>> all = Promise.promise();
    home.runOnContext(x -> {
      List<Future<String>> deployed = new ArrayList<>();
      for (int i = 0; i < askers; i++) {
        deployed.add(vertx.deployVerticle(new Asker(message, answers),
            new DeploymentOptions().setThreadingModel(model)));
      }
      Future.all(deployed).compose(v -> Future.all(new ArrayList<>(answers)))
          .map(done -> answers.stream().map(Future::result).toList()).onComplete(all);
    });
    return all.future();
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void oneInstancePerLoop_takesTheAsksOfItsOwnLoop_andTheOthersTakeTheRest(VertxTestContext ctx) {
    Held held = new Held();
    // deployed side by side with others, which take event loops meanwhile
    Future.all(deploy("shared", Threading.WORKER, 4, held), deploy("loop", Threading.PER_LOOP, 1, held),
            deploy("other", Threading.EVENT_LOOP, 5, held).compose(d -> d.undeploy()))
        .compose(v -> askFrom(ThreadingModel.EVENT_LOOP, 2 * LOOPS, "where"))
        .compose(fromLoops -> askFrom(ThreadingModel.WORKER, 2, "where").map(fromWorkers -> {
          ctx.verify(() -> {
            long loopInstances = ActorRegistry.of(vertx).instances().stream().filter(c -> c.name().equals("loop"))
                .count();
            assertEquals(LOOPS, loopInstances, "one per event loop");
            Set<String> threads = new HashSet<>();
            for (String[] a : fromLoops) {
              assertEquals("loop:" + a[0], a[1], "an ask made on an event loop is answered on that loop");
              threads.add(a[0]);
            }
            assertEquals(LOOPS, threads.size(), "asks came from every loop: " + threads);
            for (String[] a : fromWorkers) {
              assertTrue(a[1].startsWith("shared:"), "an ask from a worker thread goes to the shared instance: "
                  + a[1]);
            }
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aBusyLoopInstance_letsTheAddressesOtherInstancesTakeTheAsk(VertxTestContext ctx) {
    Held held = new Held();
    List<String> answers = new ArrayList<>();
    deploy("shared", Threading.WORKER, 1, held)
        .compose(v -> deploy("loop", Threading.PER_LOOP, 1, held))
        .compose(v -> {
          // one event loop asks twice: the first ask holds its loop's instance, the second goes elsewhere;
          // the hold reached that instance on this loop, so the second ask is made on this loop too
          Promise<Void> asked = Promise.promise();
          vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
              ActorRef ref = ActorRef.of(vertx, ADDRESS);
              Future<String> first = ref.ask("hold");
              held.reached.future().compose(v -> ref.<String>ask("where")).onSuccess(second -> {
                answers.add(second);
                held.releaseAll();
              }).onFailure(asked::fail);
              first.onSuccess(a -> {
                answers.add(0, a);
                asked.complete();
              }).onFailure(asked::fail);
              return Future.succeededFuture();
            }
          });
          return asked.future();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertTrue(answers.get(0).startsWith("loop:"), "the first ask went to the idle loop instance: " + answers);
          assertTrue(answers.get(1).startsWith("shared:"), "the second, made while it was busy, did not: " + answers);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aCrashedLoopInstance_isRestartedOnItsLoop_andTakesItsAsksAgain(VertxTestContext ctx) {
    Held held = new Held();
    // the crashed instance goes once its successor runs, placed on its loop
    Promise<Void> restarted = Promise.promise();
    NodeActors actors = NodeActors.of(vertx);
    actors.onGone(key -> {
      if (actors.restarts(NodeActors.key("loop", ADDRESS)) == 1 && actors.instances().stream()
          .noneMatch(a -> a.name().equals("loop") && a.crashCount() > 0)) {
        restarted.tryComplete();
      }
    });
    deploy("shared", Threading.WORKER, 1, held)
        .compose(v -> deploy("loop", Threading.PER_LOOP, 1, held))
        .compose(v -> askFrom(ThreadingModel.EVENT_LOOP, 1, "crash").otherwiseEmpty())
        .compose(v -> restarted.future())
        .compose(v -> askFrom(ThreadingModel.EVENT_LOOP, 2 * LOOPS, "where"))
        .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
          assertEquals(1, NodeActors.of(vertx).restarts(NodeActors.key("loop", ADDRESS)));
          for (String[] a : answers) {
            assertEquals("loop:" + a[0], a[1], "an ask made on an event loop is answered on that loop");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anAskFromAWorker_toAnAddressRunOnlyPerLoop_failsNoActor_namingTheThreadingKey(VertxTestContext ctx) {
    Held held = new Held();
    deploy("loop", Threading.PER_LOOP, 1, held)
        .compose(d -> askFrom(ThreadingModel.WORKER, 1, "where"))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, t);
          assertEquals(ErrorCode.NO_ACTOR, e.code());
          assertTrue(e.getMessage().contains("only per-loop (actors.loop.threading)")
              && e.getMessage().contains("add an event-loop or worker entry at '" + ADDRESS + "'"), e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void twoLoopInstancesOnOneLoop_handOnToTheSharedInstance_notToEachOther(VertxTestContext ctx) {
    Held held = new Held();
    // a second per-loop deployment puts a second instance on every loop, as a placement or restart does for a while
    deploy("shared", Threading.WORKER, 1, held)
        .compose(v -> deploy("loop", Threading.PER_LOOP, 1, held))
        .compose(v -> deploy("loop", Threading.PER_LOOP, 1, held))
        .compose(v -> askFrom(ThreadingModel.EVENT_LOOP, LOOPS, "forward"))
        .onComplete(ctx.succeeding(answers -> ctx.verify(() -> {
          for (String[] a : answers) {
            assertTrue(a[1].startsWith("shared:"), "a per-loop instance hands on to the shared one: " + a[1]);
          }
          ctx.completeNow();
        })));
  }

  /** Keeps the last request it got and answers with an object it keeps too; {@code "fail"} fails with CONFLICT. */
  static final class Keeper extends Actor<JsonObject> {
    final List<JsonObject> got;
    final JsonObject kept = new JsonObject().put("kept", 1);

    Keeper(List<JsonObject> got) {
      super(ADDRESS, MessageDecoder.ofType(JsonObject.class));
      this.got = got;
    }

    @Override
    protected Future<?> onMessage(JsonObject message) {
      synchronized (got) {
        got.add(message);
      }
      message.put("seenBy", "keeper");
      if (message.containsKey("fail")) {
        return Future.failedFuture(ActorException.conflict("refused " + message.getString("fail")));
      }
      return Future.succeededFuture(kept);
    }
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anAskOnTheInstancesOwnLoop_skipsTheEventBus_butItsBodiesAreCopiedAsTheBusWould_andFailuresKeepTheirCode(
      VertxTestContext ctx) {
    List<JsonObject> got = new ArrayList<>();
    List<String> onTheBus = new ArrayList<>();
    vertx.eventBus().addOutboundInterceptor(dc -> {
      synchronized (onTheBus) {
        onTheBus.add(dc.message().address());
      }
      dc.next();
    });
    JsonObject sent = new JsonObject().put("n", 1);
    ActorConfig loop = ActorConfig.defaults("loop", ADDRESS).withThreading(Threading.PER_LOOP);
    ActorConfig shared = ActorConfig.defaults("shared", ADDRESS).withThreading(Threading.WORKER);
    Actors.deploy(vertx, shared, () -> new Keeper(got))
        .compose(d -> Actors.deploy(vertx, loop, () -> new Keeper(got)))
        .compose(d -> {
          Promise<List<Object>> done = Promise.promise();
          vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
              ActorRef ref = ActorRef.of(vertx, ADDRESS);
              Future<Object> refused = ref.ask(new JsonObject().put("fail", "this"))
                  .transform(ar -> Future.succeededFuture(ar.cause()));
              return ref.<JsonObject>ask(sent)
                  .compose(first -> {
                    first.put("changedBy", "asker");
                    return ref.<JsonObject>ask(new JsonObject().put("n", 2)).map(second -> List.of(first, second));
                  })
                  .compose(replies -> refused.map(f -> {
                    List<Object> all = new ArrayList<>(replies);
                    all.add(f);
                    return all;
                  }))
                  .onComplete(done);
            }
          });
          return done.future();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(new JsonObject().put("n", 1), sent, "the asker's body is not the one the actor changed");
          assertEquals(new JsonObject().put("kept", 1), r.get(1), "the actor's object is not the one the asker changed");
          ActorException refused = assertInstanceOf(ActorException.class, r.get(2));
          assertEquals(ErrorCode.CONFLICT, refused.code());
          assertEquals("refused this", refused.getMessage());
          assertEquals(3, got.size());
          synchronized (onTheBus) {
            assertTrue(onTheBus.stream().noneMatch(a -> a.startsWith(ADDRESS)),
                "the asks went to the instance on the asker's loop without the event bus: " + onTheBus);
            assertTrue(onTheBus.stream().noneMatch(a -> a.startsWith("busflow.reply.")),
                "and so did the replies: " + onTheBus);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void twoPerLoopActorsDeployedAtOnce_onAnEvenNumberOfLoops_eachHaveOneInstanceOnEveryLoop(VertxTestContext ctx) {
    // Vert.x hands event loops out in turn: two placements that alternate would each see only every other loop
    Vertx four = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    Held held = new Held();
    List<Future<Actors.ActorDeployment>> all = new ArrayList<>();
    four.getOrCreateContext().runOnContext(v -> {
      for (String name : List.of("a", "b")) {
        all.add(Actors.deploy(four, ActorConfig.defaults(name, ADDRESS + "." + name).withThreading(Threading.PER_LOOP),
            () -> new Where(name, held)));
      }
      // beside them, as a node starts its actors: others that take loops in turn meanwhile
      int[] workers = {1, 2, 2};
      for (int i = 0; i < workers.length; i++) {
        all.add(Actors.deploy(four, ActorConfig.defaults("w" + i, ADDRESS + ".w" + i).withThreading(Threading.WORKER)
            .withInstances(workers[i]), () -> new Where("w", held)));
      }
      for (int i = 0; i < 5; i++) {
        all.add(Actors.deploy(four, ActorConfig.defaults("e" + i, ADDRESS + ".e" + i), () -> new Where("e", held)));
      }
      Future.all(all).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        for (String name : List.of("a", "b")) {
          Set<Object> loops = new HashSet<>();
          for (Actor<?> a : all.get(name.equals("a") ? 0 : 1).result().placed()) {
            loops.add(((io.vertx.core.internal.ContextInternal) a.actorContext()).nettyEventLoop());
          }
          assertEquals(4, loops.size(), name + ": one instance on each of the 4 loops");
        }
        four.close().onComplete(ctx.succeedingThenComplete());
      })));
    });
  }

  @Test
  void perLoop_refusesAnInstanceCount() {
    JsonObject entry = new JsonObject().put("type", "x").put("threading", "per-loop").put("instances", 2);
    ConfigException e = assertThrows(ConfigException.class,
        () -> ActorConfig.read("x", new ConfigReader(entry, "actors.x"), ADDRESS));
    assertTrue(e.getMessage().contains("actors.x.instances") && e.getMessage().contains("per-loop"),
        e.getMessage());
  }
}
