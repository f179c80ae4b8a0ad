package io.busflow.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.busflow.actor.internal.DeadLetters;
import io.busflow.config.ActorConfig;
import io.busflow.config.SupervisionConfig;
import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.examples.TutorialActors;
import io.busflow.testkit.FnActor;
import io.busflow.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The actor kernel's contract, written once: subclasses say where actors live ({@link #host()}) and where
 * the asking code runs ({@link #client()}) — the same Vert.x instance, or two members of a cluster.
 */
abstract class ActorContract {

  protected abstract Vertx host();

  protected abstract Vertx client();

  protected static String unique(String name) {
    return "test." + name + "." + UUID.randomUUID();
  }

  /** Runs {@code body} on an event-loop context of the client node, so asks take the routed fast path. */
  protected <T> Future<T> onClient(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    client().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  protected <T> Future<T> onHost(Supplier<Future<T>> body) {
    Promise<T> p = Promise.promise();
    host().getOrCreateContext().runOnContext(v -> body.get().onComplete(p));
    return p.future();
  }

  private final List<Actors.ActorDeployment> deployed = Collections.synchronizedList(new ArrayList<>());

  protected Future<Actors.ActorDeployment> deploy(ActorConfig config, Supplier<? extends Actor<?>> factory) {
    return Actors.deploy(host(), config, factory).onSuccess(deployed::add);
  }

  private Actors.ActorDeployment findDeployment(String address) {
    return deployed.stream().filter(d -> d.address().equals(address)).findFirst().orElseThrow();
  }

  protected static ActorConfig config(String address) {
    return ActorConfig.defaults("test", address);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void tutorialLoader_repliesDataLoadedFromTheSource(VertxTestContext ctx) {
    String address = unique("loader");
    deploy(ActorConfig.defaults("loader", address), TutorialActors.Loader::new)
        .compose(d -> onClient(() -> ActorRef.of(client(), address).<String>ask("test_data.csv")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("Data loaded from test_data.csv", reply);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void tutorialChain_loaderPreprocessorModel_finalReplyDerivedFromAllThree(VertxTestContext ctx) {
    Checkpoint3 done = new Checkpoint3();
    Future.all(
            Actors.deploy(host(), ActorConfig.defaults("loader", TutorialActors.LOADER).withInstances(3),
                TutorialActors.Loader::new),
            Actors.deploy(host(), ActorConfig.defaults("preprocess", TutorialActors.PREPROCESSOR).withInstances(3),
                TutorialActors.Preprocessor::new),
            Actors.deploy(host(), ActorConfig.defaults("model", TutorialActors.MODEL).withInstances(3),
                TutorialActors.Model::new))
        .compose(all -> {
          done.deployments = all.list();
          List<Future<String>> replies = new ArrayList<>();
          for (int i = 0; i < 30; i++) {
            String source = "data-" + i + ".csv";
            replies.add(onClient(() -> TutorialActors.chain(client(), source)));
          }
          return Future.all(replies);
        })
        .compose(all -> undeployAll(done.deployments).map(all))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 30; i++) {
            assertEquals("Prediction for Preprocessed(Data loaded from data-" + i + ".csv)", all.resultAt(i));
          }
          ctx.completeNow();
        })));
  }

  private static final class Checkpoint3 {
    List<Object> deployments;
  }

  private Future<Void> undeployAll(List<Object> deployments) {
    return Future.all(deployments.stream().map(d -> ((Actors.ActorDeployment) d).undeploy()).toList()).mapEmpty();
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void throwingHandler_failsThatRequestWithActorFailed_andServesTheNext(VertxTestContext ctx) {
    String address = unique("safe");
    deploy(config(address), () -> new FnActor(address, msg -> {
      if ("boom".equals(msg)) {
        throw new IllegalStateException("boom requested");
      }
      return Future.succeededFuture("ok " + msg);
    }))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          return ref.ask("boom").transform(ar -> {
            ctx.verify(() -> {
              assertTrue(ar.failed());
              ActorException e = assertInstanceOf(ActorException.class, ar.cause());
              assertEquals(ErrorCode.ACTOR_FAILED, e.code());
              assertTrue(e.getMessage().contains(address) && e.getMessage().contains("boom requested"),
                  e.getMessage());
            });
            return ref.<String>ask("next");
          });
        }))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("ok next", reply);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void badRequestFromHandler_isReturnedWithItsCodeAndMessage_toAPlainVertxRequest(VertxTestContext ctx) {
    String address = unique("bad");
    deploy(config(address), () -> new FnActor(address, msg -> {
      throw ActorException.badRequest("column 'age' is not numeric");
    }))
        .compose(d -> client().eventBus().request(address, new JsonObject()))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ReplyException r = assertInstanceOf(ReplyException.class, t);
          assertEquals(ErrorCode.BAD_REQUEST.wire(), r.failureCode());
          assertEquals("column 'age' is not numeric", r.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void askToAnAddressNobodyListensOn_failsAtOnceWithNoActor(VertxTestContext ctx) {
    String address = unique("nobody");
    long started = System.currentTimeMillis();
    onClient(() -> ActorRef.of(client(), address).ask("hello", Duration.ofSeconds(20)))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, t);
          assertEquals(ErrorCode.NO_ACTOR, e.code());
          assertTrue(e.getMessage().contains(address), e.getMessage());
          assertTrue(System.currentTimeMillis() - started < 10_000, "NO_ACTOR must not wait for the timeout");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void oneSendersTenThousandMessages_areHandledInSendOrder(VertxTestContext ctx) {
    String address = unique("order");
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    int n = 10_000;
    deploy(config(address).withMailboxCapacity(n), () -> new FnActor(address, msg -> {
      seen.add((Integer) msg);
      return Future.succeededFuture(msg);
    }))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          List<Future<Object>> replies = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            replies.add(ref.ask(i));
          }
          return Future.all(replies);
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(n, seen.size());
          for (int i = 0; i < n; i++) {
            assertEquals(i, seen.get(i), "message " + i + " out of order");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void asyncHandler_nextMessageStartsOnlyAfterThePreviousReplyCompletes(VertxTestContext ctx) {
    String address = unique("async");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    deploy(config(address), () -> new FnActor(address, (self, msg) -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<Object> p = Promise.promise();
      self.vertx().setTimer(5, t -> {
        running.decrementAndGet();
        p.complete(msg);
      });
      return p.future();
    }))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          List<Future<Object>> replies = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            replies.add(ref.ask(i));
          }
          return Future.all(replies);
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(1, maxRunning.get(), "two messages were in progress at once");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void fullMailbox_failsAtOnceWithMailboxFull_andNeverReachesVertxDiscardPath(VertxTestContext ctx) {
    String address = unique("full");
    Promise<Void> gate = Promise.promise();
    LogCapture vertxLog = new LogCapture("io.vertx.core.eventbus", Level.WARN);
    int capacity = 5;
    int sent = 2_000;
    deploy(config(address).withMailboxCapacity(capacity), () -> new FnActor(address,
        msg -> gate.future().map(v -> msg)))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          List<Future<Object>> replies = new ArrayList<>();
          for (int i = 0; i < sent; i++) {
            replies.add(ref.ask(i));
          }
          // all but 1 in progress + `capacity` queued must fail while the handler is still held
          List<Future<Object>> rejected = replies.subList(1 + capacity, sent);
          return Future.join(rejected).transform(ar -> {
            ctx.verify(() -> {
              assertFalse(gate.future().isComplete());
              for (Future<Object> f : rejected) {
                ActorException e = assertInstanceOf(ActorException.class, f.cause());
                assertEquals(ErrorCode.MAILBOX_FULL, e.code());
              }
            });
            gate.complete();
            return Future.all(replies.subList(0, 1 + capacity));
          });
        }))
        .onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
          vertxLog.close();
          assertFalse(vertxLog.contains("Discarding message"), vertxLog.messages().toString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void requestWhoseDeadlinePassedInTheMailbox_isSkippedWithTimeoutNamingTheActor(VertxTestContext ctx) {
    String address = unique("deadline");
    AtomicInteger handled = new AtomicInteger();
    deploy(config(address), () -> new FnActor(address, (self, msg) -> {
      handled.incrementAndGet();
      Promise<Object> p = Promise.promise();
      self.vertx().setTimer("slow".equals(msg) ? 300 : 1, t -> p.complete(msg));
      return p.future();
    }))
        .compose(d -> {
          client().eventBus().request(address, "slow");
          DeliveryOptions opts = new DeliveryOptions().setSendTimeout(10_000)
              .addHeader(Headers.DEADLINE, Long.toString(System.currentTimeMillis() + 100));
          return client().eventBus().request(address, "late", opts);
        })
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ReplyException r = assertInstanceOf(ReplyException.class, t);
          assertEquals(ErrorCode.TIMEOUT.wire(), r.failureCode());
          assertTrue(r.getMessage().contains(address) && r.getMessage().contains("deadline passed"), r.getMessage());
          assertEquals(1, handled.get(), "the expired request must not be handled");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void failures_arePublishedAsDeadLetters_withAddressReasonAndCorrelationId(VertxTestContext ctx) {
    String address = unique("dead");
    String cid = "cid-" + UUID.randomUUID();
    client().eventBus().<JsonObject>consumer(DeadLetters.ADDRESS, m -> {
      JsonObject letter = m.body();
      if (address.equals(letter.getString("address"))) {
        ctx.verify(() -> {
          assertEquals("BAD_REQUEST", letter.getString("reason"));
          assertEquals(cid, letter.getString("correlationId"));
          assertTrue(letter.getString("message").contains("no good"));
          ctx.completeNow();
        });
      }
    }).completion()
        .compose(v -> deploy(config(address), () -> new FnActor(address, msg -> {
          throw ActorException.badRequest("no good");
        })))
        .compose(d -> onClient(() -> ActorRef.of(client(), address).withCorrelationId(cid).ask("x")))
        .onComplete(ar -> ctx.verify(() -> assertTrue(ar.failed())));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void tellToAnAddressNobodyListensOn_failsWithNoActorAndIsADeadLetter(VertxTestContext ctx) {
    String address = unique("tellnobody");
    var checkpoint = ctx.checkpoint(2);
    client().eventBus().<JsonObject>consumer(DeadLetters.ADDRESS, m -> {
      if (address.equals(m.body().getString("address"))) {
        ctx.verify(() -> assertEquals("NO_ACTOR", m.body().getString("reason")));
        checkpoint.flag();
      }
    }).completion()
        .compose(v -> onClient(() -> ActorRef.of(client(), address).tell("lost?")))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.NO_ACTOR, ((ActorException) t).code());
          checkpoint.flag();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void gracefulStop_drainsTheQueue_andNewRequestsGetStopping(VertxTestContext ctx) {
    String address = unique("stop");
    List<Future<Object>> queued = new ArrayList<>();
    deploy(config(address), () -> new FnActor(address, (self, msg) -> {
      Promise<Object> p = Promise.promise();
      self.vertx().setTimer(40, t -> p.complete("done " + msg));
      return p.future();
    }))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          for (int i = 0; i < 5; i++) {
            queued.add(ref.ask(i));
          }
          // once the first is answered, all five sat in the mailbox; stop with four still queued
          return queued.get(0);
        }))
        .compose(first -> onHost(() -> {
          // on the host, the stop is under way before this request reaches the mailbox
          Future<Void> stopped = findDeployment(address).undeploy();
          Future<Object> late = ActorRef.of(host(), address).ask("after stop");
          return stopped.compose(v -> late.transform(Future::succeededFuture));
        }))
        // across the wire the last replies may still be travelling when the stop completes
        .compose(late -> Future.join(queued).transform(x -> Future.succeededFuture(late)))
        .onComplete(ctx.succeeding(late -> ctx.verify(() -> {
          for (Future<Object> f : queued) {
            assertTrue(f.succeeded(), "a queued request was not drained: " + f.cause());
          }
          ActorException e = assertInstanceOf(ActorException.class, late.cause());
          assertEquals(ErrorCode.STOPPING, e.code());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void drainTimeout_answersInFlightAndQueuedRequestsWithStopping(VertxTestContext ctx) {
    String address = unique("drain");
    Promise<Object> never = Promise.promise();
    List<Future<Object>> asked = new ArrayList<>();
    deploy(config(address).withDrainTimeoutMs(100), () -> new FnActor(address, msg -> never.future()))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          for (int i = 0; i < 3; i++) {
            asked.add(ref.ask(i));
          }
          return Future.succeededFuture(d);
        }))
        .compose(d -> host().timer(200).compose(x -> d.undeploy()))
        .compose(v -> Future.join(asked))
        .onComplete(ar -> ctx.verify(() -> {
          for (Future<Object> f : asked) {
            ActorException e = assertInstanceOf(ActorException.class, f.cause());
            assertEquals(ErrorCode.STOPPING, e.code());
          }
          ctx.completeNow();
        }));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void tooManyFailures_crashTheActor_whichIsRestarted_andQueuedRequestsAreAnswered(VertxTestContext ctx) {
    String address = unique("crash");
    AtomicInteger instances = new AtomicInteger();
    ActorConfig cfg = config(address).withSupervision(new SupervisionConfig(2, 60_000, 3, 200, 1000));
    deploy(cfg, () -> {
      int generation = instances.incrementAndGet();
      return new FnActor(address, msg -> {
        if ("boom".equals(msg)) {
          throw new IllegalStateException("boom " + generation);
        }
        return Future.succeededFuture("served by generation " + generation);
      });
    })
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          List<Future<Object>> booms = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            booms.add(ref.ask("boom"));
          }
          // sent right behind the third failure: queued at the crash, answered after the restart
          List<Future<Object>> after = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            after.add(ref.ask("after " + i));
          }
          return Future.join(booms).transform(x -> Future.all(after)).map(all -> {
            ctx.verify(() -> assertEquals(1, d.restarts()));
            return all;
          });
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 5; i++) {
            assertEquals("served by generation 2", all.resultAt(i));
          }
          assertEquals(2, instances.get());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void startUpFailure_isRetriedWithBackoff_untilTheActorStarts(VertxTestContext ctx) {
    String address = unique("flaky");
    AtomicInteger attempts = new AtomicInteger();
    ActorConfig cfg = config(address).withSupervision(new SupervisionConfig(10, 10_000, 5, 10, 100));
    deploy(cfg, () -> new FnActor(address, msg -> Future.succeededFuture("up")) {
      @Override
      protected Future<?> onStart() {
        return attempts.incrementAndGet() < 3
            ? Future.failedFuture(new IllegalStateException("not yet")) : Future.succeededFuture();
      }
    })
        .compose(d -> onClient(() -> ActorRef.of(client(), address).<String>ask("?")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("up", reply);
          assertEquals(3, attempts.get());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void counters_countReceivedRepliedAndFailedByCode(VertxTestContext ctx) {
    String address = unique("counted");
    deploy(config(address), () -> new FnActor(address, msg -> {
      if ("bad".equals(msg)) {
        throw ActorException.badRequest("bad");
      }
      return Future.succeededFuture(msg);
    }))
        .compose(d -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), address);
          return Future.join(ref.ask("a"), ref.ask("b"), ref.ask("c"), ref.ask("bad"));
        }))
        .onComplete(ar -> ctx.verify(() -> {
          var counters = io.busflow.actor.internal.ActorRegistry.of(host()).instances().stream()
              .filter(c -> c.address().equals(address)).findFirst().orElseThrow();
          assertEquals(4, counters.receivedCount());
          assertEquals(3, counters.repliedCount());
          assertEquals(1, counters.failedCount(ErrorCode.BAD_REQUEST));
          assertEquals(0, counters.mailboxDepth());
          assertEquals(4, counters.toJson().getLong("processed"));
          ctx.completeNow();
        }));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void usersOwnVerticle_asksABusflowActorWithPlainRequestAndJson(VertxTestContext ctx) {
    String address = unique("json");
    Promise<JsonObject> seen = Promise.promise();
    deploy(config(address), () -> new FnActor(address,
        msg -> Future.succeededFuture(new JsonObject().put("echo", ((JsonObject) msg).getString("q")))))
        .compose(d -> client().deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            return vertx.eventBus().<JsonObject>request(address, new JsonObject().put("q", "hi"))
                .onSuccess(m -> seen.complete(m.body()));
          }
        }))
        .compose(id -> seen.future())
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("hi", reply.getString("echo"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void correlationId_travelsThroughAsksAnActorMakes(VertxTestContext ctx) {
    String front = unique("front");
    String back = unique("back");
    Future.all(
            deploy(config(back), () -> new FnActor(back, (self, msg) -> Future.succeededFuture(self.correlationId()))),
            deploy(config(front), () -> new FnActor(front, (self, msg) -> self.forward(back, msg))))
        .compose(all -> onClient(() -> ActorRef.of(client(), front).withCorrelationId("job-42").<String>ask("x")))
        .onComplete(ctx.succeeding(cid -> ctx.verify(() -> {
          assertEquals("job-42", cid);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void correlationId_isInTheLoggingMdcWhileTheActorWorks(VertxTestContext ctx) {
    String address = unique("mdc");
    LogCapture log = new LogCapture("test.mdc", Level.INFO);
    org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("test.mdc");
    deploy(config(address), () -> new FnActor(address, msg -> {
      logger.info("working on {}", msg);
      return Future.succeededFuture(msg);
    }))
        .compose(d -> onClient(() -> ActorRef.of(client(), address).withCorrelationId("cid-mdc-1").ask("x")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          log.close();
          assertEquals(List.of("cid-mdc-1"), log.mdc("cid"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void batch_travelsWithItsCodec_sameInstanceInOneJvm_equalCopyAcrossTheWire(VertxTestContext ctx) {
    String address = unique("batch");
    Batch batch = Batch.of(new NumericColumn("x", new double[] {1, Double.NaN, 3}),
        new StringColumn("s", new String[] {"a", null, "ü"}));
    List<Object> received = new ArrayList<>();
    deploy(config(address), () -> new FnActor(address, msg -> {
      received.add(msg);
      return Future.succeededFuture(msg);
    }))
        .compose(d -> onClient(() -> ActorRef.of(client(), address).<Batch>ask(batch)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(batch, received.get(0));
          assertEquals(batch, reply);
          if (host() == client()) {
            assertSame(batch, received.get(0));
          } else {
            assertNotSame(batch, received.get(0));
          }
          ctx.completeNow();
        })));
  }


  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void replyLater_freesTheMailbox_andEachRequestGetsItsOwnReply(VertxTestContext ctx) {
    String front = unique("front");
    String back = unique("back");
    int n = 20;
    List<Promise<Object>> held = new ArrayList<>();
    // the back replies to nothing until it holds all n requests: a front that waited for each would hang
    Future.all(
            deploy(config(back), () -> new FnActor(back, (self, msg) -> {
              Promise<Object> p = Promise.promise();
              held.add(p);
              if (held.size() == n) {
                for (int i = 0; i < n; i++) {
                  held.get(i).complete("back " + i);
                }
              }
              return self.later(p.future().map(r -> r + " for " + msg));
            })),
            deploy(config(front), () -> new FnActor(front, (self, msg) -> self.askThenReplyLater(back, msg))))
        .compose(all -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), front);
          List<Future<Object>> replies = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            replies.add(ref.ask("m" + i));
          }
          return Future.all(replies);
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < n; i++) {
            assertEquals("back " + i + " for m" + i, all.resultAt(i));
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void replyLater_failure_reachesTheAskerWithItsCodeAndMessage(VertxTestContext ctx) {
    String front = unique("front");
    String back = unique("back");
    Future.all(
            deploy(config(back), () -> new FnActor(back, msg -> Future.failedFuture(
                ActorException.badRequest("back: '" + msg + "' is not a number")))),
            deploy(config(front), () -> new FnActor(front, (self, msg) -> self.askThenReplyLater(back, msg))))
        .compose(all -> onClient(() -> ActorRef.of(client(), front).ask("abc")))
        .onComplete(ar -> ctx.verify(() -> {
          ActorException e = assertInstanceOf(ActorException.class, ar.cause());
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertEquals("back: 'abc' is not a number", e.getMessage());
          ctx.completeNow();
        }));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void gracefulStop_waitsForRepliesMadeLater_thenTheDrainTimeoutAnswersStopping(VertxTestContext ctx) {
    String front = unique("front");
    String back = unique("back");
    Promise<Object> never = Promise.promise();
    Promise<Void> bothAtBack = Promise.promise();
    AtomicInteger arrived = new AtomicInteger();
    Future.all(
            deploy(config(back), () -> new FnActor(back, (self, msg) -> {
              if (arrived.incrementAndGet() == 2) {
                bothAtBack.complete();
              }
              return self.later("slow".equals(msg) ? host().timer(300).map(t -> "late reply") : never.future());
            })),
            deploy(config(front).withDrainTimeoutMs(1500), () -> new FnActor(front,
                (self, msg) -> self.askThenReplyLater(back, msg))))
        .compose(all -> onClient(() -> {
          ActorRef ref = ActorRef.of(client(), front);
          Future<Object> slow = ref.ask("slow");
          Future<Object> stuck = ref.ask("stuck");
          // both handled by the front (its mailbox free) while their replies are still being made: stop it
          return bothAtBack.future().compose(t -> findDeployment(front).undeploy())
              .compose(v -> Future.join(slow, stuck).transform(x -> Future.succeededFuture(List.of(slow, stuck))));
        }))
        .onComplete(ctx.succeeding(asked -> ctx.verify(() -> {
          assertEquals("late reply", asked.get(0).result());
          ActorException e = assertInstanceOf(ActorException.class, asked.get(1).cause());
          assertEquals(ErrorCode.STOPPING, e.code());
          assertTrue(e.getMessage().contains("drain timeout of 1500 ms"), e.getMessage());
          never.complete("done"); // the back's reply, so that its undeploy after the test need not wait its drain
          ctx.completeNow();
        })));
  }
}
