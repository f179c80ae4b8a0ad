package io.busflow.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.testkit.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fit session takes the pieces of a partitioned read at once, each piece's batches one at a time and in order, and
 * fits what the same batches fitted one after another give; a batch that fails fails its piece's next request and
 * the finish.
 */
@ExtendWith(VertxExtension.class)
class FitSessionTest {

  private static final Map<String, Object> SPEC = new JsonObject("{\"steps\": ["
      + "{\"scale\": {\"method\": \"standard\", \"columns\": [\"x\"]}},"
      + "{\"onehot\": {\"columns\": [\"c\"]}}]}").getMap();
  private static final int PIECES = 2;
  private static final int BATCHES = 6;
  private static final int ROWS = 500;

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void piecesAreFittedAtOnce_eachInOrder_andGiveTheFitOfOneThread(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    Gated gated = new Gated(new PreprocessorKind().fitting(fit()), -1);
    String address = SessionActor.newAddress("test.fit");
    SessionActor.deploy(vertx, new FitSession<>(address, new PreprocessorKind(), gated, 60_000, UNBOUNDED), address)
        .compose(a -> Future.all(sendPiece(vertx, address, 0), sendPiece(vertx, address, 1)))
        .compose(v -> vertx.eventBus().<JsonObject>request(address, new JsonObject().put("op", "finish")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertFalse(gated.overlapInALane.get(), "two batches of one piece were accepted at once");
          assertFalse(gated.outOfOrder.get(), "a piece's batches were accepted out of order");
          StageProtocol.Fitted fitted = StageProtocol.Fitted.fromJson(StageProtocol.Kind.PREPROCESSOR, reply.body());
          assertEquals(PIECES * BATCHES * ROWS, fitted.rows());
          assertEquals(JsonShapes.toJson(oneThread()).encode(), reply.body().getJsonObject("state").encode());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aFailedBatch_failsItsPiecesNextBatchAndTheFinish_otherPiecesGoOn(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    Gated gated = new Gated(new PreprocessorKind().fitting(fit()), 2);
    String address = SessionActor.newAddress("test.fit");
    List<Throwable> pieceFailures = new ArrayList<>(List.of(new Throwable("none"), new Throwable("none")));
    SessionActor.deploy(vertx, new FitSession<>(address, new PreprocessorKind(), gated, 60_000, UNBOUNDED), address)
        .compose(a -> Future.join(
            sendPiece(vertx, address, 0).onFailure(t -> pieceFailures.set(0, t)),
            sendPiece(vertx, address, 1).onFailure(t -> pieceFailures.set(1, t))))
        .transform(ar -> vertx.eventBus().<JsonObject>request(address, new JsonObject().put("op", "finish")))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals("none", pieceFailures.get(0).getMessage(), "piece 0 went on");
          String want = "batch 2 of piece 1 has a bad value";
          assertEquals(want, pieceFailures.get(1).getMessage());
          ActorException e = ActorException.of(t, address);
          assertEquals(ErrorCode.BAD_REQUEST, e.code());
          assertEquals(want, t.getMessage());
          assertEquals(BATCHES, gated.accepted(0), "every batch of piece 0 was fitted");
          ctx.completeNow();
        })));
  }

  /**
   * A model fit keeps its rows: the batch that takes this JVM's fits past the session's bound is refused with {@code
   * TOO_LARGE} naming the bound's option, the fit fails with it, and the session gives back what it held.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void theBatchThatPassesTheBoundOnFitMemory_isRefused_andTheSessionGivesItsShareBack(Vertx vertx,
      VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    long before = FitMemory.held();
    ModelKind kind = new ModelKind();
    var fitting = logisticFit(kind);
    String address = SessionActor.newAddress("test.fit");
    long bound = before + 600_000;
    var share = FitMemory.share(bound, "actors.model.options.fitMaxBytes");
    List<Long> heldAfter = new ArrayList<>();
    SessionActor.deploy(vertx, new FitSession<>(address, kind, fitting, 60_000, share), address)
        .compose(a -> sendRows(vertx, address, 0, heldAfter))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ActorException e = ActorException.of(t, address);
          assertEquals(ErrorCode.TOO_LARGE, e.code(), t.getMessage());
          assertTrue(t.getMessage().startsWith("model fit: keeping the rows to fit would take "), t.getMessage());
          assertTrue(t.getMessage().contains("past this node's bound on fit memory, " + String.format(
              java.util.Locale.ROOT, "%.1f MB", bound / (1024.0 * 1024)) + " (actors.model.options.fitMaxBytes; "),
              t.getMessage());
          assertTrue(heldAfter.size() >= 2, "batches were kept before the bound: " + heldAfter);
          assertTrue(heldAfter.get(heldAfter.size() - 1) <= bound, "never past the bound: " + heldAfter);
          vertx.eventBus().<JsonObject>request(address, new JsonObject().put("op", "finish"))
              .onComplete(ctx.failing(f -> ctx.verify(() -> {
                assertEquals(ErrorCode.TOO_LARGE, ActorException.of(f, address).code(), f.getMessage());
                vertx.setPeriodic(20, id -> {
                  if (FitMemory.held() == before) {
                    vertx.cancelTimer(id);
                    ctx.completeNow();
                  }
                });
              })));
        })));
  }

  /**
   * A model fit counts its solver too, which grows with the square of the features: a batch of 3 rows and 3,000
   * features (a one-hot column of many levels) is refused before it is kept, with {@code TOO_LARGE} naming the
   * solver's part, where the solver's matrices would have run the JVM out of memory.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aFitTooWideForTheBound_isRefusedAtItsFirstBatch_namingTheSolversPart(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    ModelKind kind = new ModelKind();
    var estimator = io.busflow.stage.ModelTypes.get("logistic", "model.type").parse(Map.of(), "model.params");
    assertEquals(6L * 3001 * 3001 * 8, estimator.fitBytes(3000, 2, 1), "Newton's matrices, 3,000 features, 1 thread");
    assertEquals(6L * 3300 * 3300 * 8, estimator.fitBytes(10, 300, 1), "a multinomial fit's: 11 × 300 parameters");
    var fitting = kind.fitting(new StageProtocol.ModelFit(new io.busflow.pipeline.protocol.ModelSpec(estimator,
        io.busflow.stage.Artifact.JSON), "y", List.of()));
    String address = SessionActor.newAddress("test.fit");
    // a bound of its own, not the JVM's holdings at the start plus some: other tests' fits come and go meanwhile
    var share = FitMemory.share(100L * 1024 * 1024, "actors.model.options.fitMaxBytes");
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < 3000; c++) {
      columns.add(new NumericColumn("f" + c, new double[] {c % 2, 1, 0}));
    }
    columns.add(new NumericColumn("y", new double[] {0, 1, 0}));
    SessionActor.deploy(vertx, new FitSession<>(address, kind, fitting, 60_000, share), address)
        // a batch is answered once its lane's previous one is in; its refusal fails what comes next: the finish
        .compose(a -> vertx.eventBus().request(address, new Batch(0, 0, 3, columns)))
        .compose(r -> vertx.eventBus().request(address, new JsonObject().put("op", "finish")))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.TOO_LARGE, ActorException.of(t, address).code(), t.getMessage());
          assertTrue(t.getMessage().contains("of it for the solver of 3000 features"), t.getMessage());
          ctx.completeNow();
        })));
  }

  /** A preprocessor fit counts what grows with the rows: a median's values, 8 bytes each (as allocated). */
  @Test
  void aMedianImputersValues_countInTheFitsKeptBytes() {
    Map<String, Object> spec = new JsonObject("{\"steps\": [{\"impute\": {\"strategy\": \"median\", "
        + "\"columns\": [\"x\"]}}, {\"onehot\": {\"columns\": [\"c\"]}}]}").getMap();
    var fitting = new PreprocessorKind().fitting(new StageProtocol.PreprocessorFit(spec));
    long before = fitting.keptBytes();
    for (int i = 0; i < BATCHES; i++) {
      Batch b = batch(0, i);
      fitting.lane(b);
      fitting.accept(b);
    }
    long kept = fitting.keptBytes() - before;
    assertTrue(kept >= 8L * BATCHES * ROWS && kept <= 2 * 8L * BATCHES * ROWS + 96 * 10,
        "the values of " + BATCHES * ROWS + " rows and 5 levels: " + kept + " bytes");
    fitting.release();
  }

  /**
   * A plugin step's fitter counts too: what its {@code keptBytes} says (here 8 bytes a value as its array grows) is
   * the preprocessor fit's, so a session bounded below it refuses the batch that passes the bound with {@code
   * TOO_LARGE} naming the preprocessor's option.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aPluginFittersKeptBytes_countAgainstTheBound(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    Map<String, Object> spec = new JsonObject("{\"steps\": [{\"medianabs\": {\"column\": \"x\"}}]}").getMap();
    var fitting = new PreprocessorKind().fitting(new StageProtocol.PreprocessorFit(spec));
    for (int i = 0; i < BATCHES; i++) {
      fitting.accept(batch(0, i));
    }
    long kept = fitting.keptBytes();
    assertTrue(kept >= 8L * BATCHES * ROWS, "the plugin's values of " + BATCHES * ROWS + " rows: " + kept + " bytes");
    fitting.release();

    long before = FitMemory.held();
    var bounded = new PreprocessorKind().fitting(new StageProtocol.PreprocessorFit(spec));
    String address = SessionActor.newAddress("test.fit");
    var share = FitMemory.share(before + 8L * ROWS * 3, "actors.preprocess.options.fitMaxBytes");
    SessionActor.deploy(vertx, new FitSession<>(address, new PreprocessorKind(), bounded, 60_000, share), address)
        .compose(a -> sendPiece(vertx, address, 0))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.TOO_LARGE, ActorException.of(t, address).code(), t.getMessage());
          assertTrue(t.getMessage().contains("(actors.preprocess.options.fitMaxBytes; "), t.getMessage());
          ctx.completeNow();
        })));
  }

  /**
   * A cancel, sent beside the mailbox (where it arrives even when the mailbox is full), ends an idle session at once:
   * what it kept is given back to the JVM's fit memory without waiting its idle time (a minute here).
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aCancelEndsAnIdleSession_andItsKeptRowsAreGivenBackAtOnce(Vertx vertx, VertxTestContext ctx) {
    StageProtocol.registerCodecs(vertx);
    long before = FitMemory.held();
    ModelKind kind = new ModelKind();
    var fitting = logisticFit(kind);
    String address = SessionActor.newAddress("test.fit");
    Batch rows = rows(0);
    SessionActor.deploy(vertx, new FitSession<>(address, kind, fitting, 60_000, UNBOUNDED), address)
        .compose(a -> vertx.eventBus().request(address, rows))
        // a batch is answered before it is kept (once its lane's previous one is in): wait until it is
        .compose(reply -> Eventually.until(vertx, () -> FitMemory.held() > before))
        .compose(v -> {
          vertx.eventBus().send(SessionActor.cancelAddress(address), "cancel");
          return Eventually.until(vertx, () -> FitMemory.held() == before);
        })
        .compose(v -> vertx.eventBus().request(address, "finish"))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          assertEquals(ErrorCode.NO_ACTOR, ActorException.of(t, address).code(), "the session has ended: " + t);
          ctx.completeNow();
        })));
  }

  /** Batches of 2,000 rows (x and y, 32 KB) until one is refused, noting what the JVM's fits hold after each. */
  private static Future<Void> sendRows(Vertx vertx, String address, int i, List<Long> heldAfter) {
    if (i == 100) {
      return Future.failedFuture("100 batches were all accepted");
    }
    return vertx.eventBus().request(address, rows(i)).compose(reply -> {
      heldAfter.add(FitMemory.held());
      return sendRows(vertx, address, i + 1, heldAfter);
    });
  }

  /** Batch {@code i} of 2,000 rows, x and y (32 KB). */
  private static Batch rows(int i) {
    double[] x = new double[2000];
    double[] y = new double[2000];
    for (int r = 0; r < x.length; r++) {
      x[r] = r;
      y[r] = r % 2;
    }
    return new Batch(i, i * 2000L, 2000, List.of(new NumericColumn("x", x), new NumericColumn("y", y)));
  }

  /** A logistic regression's fit of y on x. */
  private static StageKind.Fitting<io.busflow.data.model.Model> logisticFit(ModelKind kind) {
    var spec = new io.busflow.pipeline.protocol.ModelSpec(
        io.busflow.stage.ModelTypes.get("logistic", "model.type").parse(Map.of(), "model.params"),
        io.busflow.stage.Artifact.JSON);
    return kind.fitting(new StageProtocol.ModelFit(spec, "y", List.of()));
  }

  private static final FitMemory.Share UNBOUNDED = FitMemory.share(Long.MAX_VALUE, "test.fitMaxBytes");

  private static StageProtocol.PreprocessorFit fit() {
    return new StageProtocol.PreprocessorFit(SPEC);
  }

  /** Sends the batches of {@code piece} one at a time, as a piece runner does: the next once the last is answered. */
  private static Future<Void> sendPiece(Vertx vertx, String address, int piece) {
    Future<Void> f = Future.succeededFuture();
    for (int i = 0; i < BATCHES; i++) {
      Batch b = batch(piece, i);
      f = f.compose(v -> vertx.eventBus().request(address, b).mapEmpty());
    }
    return f;
  }

  private static Batch batch(int piece, int i) {
    double[] x = new double[ROWS];
    String[] c = new String[ROWS];
    for (int r = 0; r < ROWS; r++) {
      long row = ((long) piece * BATCHES + i) * ROWS + r;
      x[r] = Math.sin(row) * 1000 + row % 7;
      c[r] = "level-" + (row * 31 % (5 + piece));
    }
    Batch b = new Batch(i, (long) i * ROWS, ROWS, List.of(new NumericColumn("x", x), new StringColumn("c", c)));
    return Batches.inPiece(b, piece, (long) piece * BATCHES * ROWS);
  }

  /** The state the same batches give fitted in one thread, piece after piece. */
  private static Map<String, Object> oneThread() throws Exception {
    PreprocessorKind kind = new PreprocessorKind();
    StageKind.Fitting<Preprocessor> f = kind.fitting(fit());
    for (int piece = 0; piece < PIECES; piece++) {
      for (int i = 0; i < BATCHES; i++) {
        Batch b = batch(piece, i);
        f.lane(b);
        f.accept(b);
      }
    }
    return kind.state(f.finish().artifact());
  }

  /**
   * A fit whose first batch of each piece waits until every piece has one being accepted (so a session that takes
   * one batch at a time fails it), and that fails batch {@code failAt} of piece 1 ({@code -1}: none).
   */
  private static final class Gated implements StageKind.Fitting<Preprocessor> {
    private final StageKind.Fitting<Preprocessor> real;
    private final int failAt;
    private final CountDownLatch allIn = new CountDownLatch(PIECES);
    private final Set<Integer> entered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger[] busy = {new AtomicInteger(), new AtomicInteger()};
    private final AtomicLong[] last = {new AtomicLong(-1), new AtomicLong(-1)};
    private final AtomicInteger[] accepted = {new AtomicInteger(), new AtomicInteger()};
    final AtomicBoolean overlapInALane = new AtomicBoolean();
    final AtomicBoolean outOfOrder = new AtomicBoolean();

    Gated(StageKind.Fitting<Preprocessor> real, int failAt) {
      this.real = real;
      this.failAt = failAt;
    }

    @Override
    public StageProtocol.FitStarted started(String session) {
      return real.started(session);
    }

    @Override
    public int lane(Batch batch) {
      return real.lane(batch);
    }

    @Override
    public void accept(Batch batch) {
      int piece = Batches.piece(batch);
      if (busy[piece].getAndIncrement() != 0) {
        overlapInALane.set(true);
      }
      try {
        if (entered.add(piece)) {
          allIn.countDown();
          await();
        }
        long index = batch.index() & 0xFFFF;
        if (last[piece].getAndSet(index) != index - 1) {
          outOfOrder.set(true);
        }
        if (piece == 1 && index == failAt) {
          throw ActorException.badRequest("batch " + index + " of piece 1 has a bad value");
        }
        real.accept(batch);
        accepted[piece].incrementAndGet();
      } finally {
        busy[piece].decrementAndGet();
      }
    }

    private void await() {
      try {
        if (!allIn.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a piece's first batch waited 10 s alone: the pieces were not fitted at once");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    int accepted(int piece) {
      return accepted[piece].get();
    }

    @Override
    public StageKind.Result<Preprocessor> finish() throws Exception {
      return real.finish();
    }

    @Override
    public void release() {
      real.release();
    }
  }
}
