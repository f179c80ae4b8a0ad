package io.busflow.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FitMemoryTest {

  private static final long MB = 1 << 20;

  @Test
  void aRefusedHold_recordsNothing_andNamesTheBoundAndTheRemedy() {
    long base = FitMemory.held();
    FitMemory.Share a = FitMemory.share(base + 10 * MB, "actors.model.options.fitMaxBytes");
    FitMemory.Share b = FitMemory.share(base + 10 * MB, "actors.model.options.fitMaxBytes");
    try {
      a.hold(6 * MB, "model 'm'", 100);
      ActorException e = assertThrows(ActorException.class, () -> b.hold(5 * MB, "model 'm'", 80));
      assertEquals(ErrorCode.TOO_LARGE, e.code());
      assertTrue(e.getMessage().contains("actors.model.options.fitMaxBytes") && e.getMessage().contains("80 rows")
          && e.getMessage().contains("train on fewer rows"), e.getMessage());
      assertEquals(base + 6 * MB, FitMemory.held(), "the refused hold recorded nothing");
      b.hold(4 * MB, "model 'm'", 60);
      assertEquals(base + 10 * MB, FitMemory.held(), "a hold up to the bound fits");
    } finally {
      a.release();
      b.release();
    }
    assertEquals(base, FitMemory.held(), "everything given back");
  }

  /**
   * Sessions holding and releasing at once never take the count past the bound, not even for a moment: a hold that
   * added first and took back on refusal showed the passing count to readers, and could refuse another session's
   * hold that fitted.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentHolds_neverPassTheBound() {
    long base = FitMemory.held();
    long bound = base + 8 * MB;
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong highest = new AtomicLong();
    CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
      while (running.get()) {
        highest.accumulateAndGet(FitMemory.held(), Math::max);
      }
    }, runnable -> new Thread(runnable, "fit-memory-watcher").start());
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Long>> sessions = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long seed = t;
      sessions.add(CompletableFuture.supplyAsync(() -> holdAndRelease(bound, new SplittableRandom(seed), start),
          runnable -> new Thread(runnable, "fit-session-" + seed).start()));
    }
    start.countDown();
    long refused = sessions.stream().mapToLong(CompletableFuture::join).sum();
    running.set(false);
    watcher.join();
    assertTrue(refused > 0, "some holds were refused, so the bound was tried");
    assertTrue(highest.get() <= bound, "held " + highest.get() + " > the bound " + bound);
    assertEquals(base, FitMemory.held(), "everything given back");
  }

  /**
   * From {@code start} on, for 300 ms (so that the sessions overlap even when threads start late), holds growing
   * amounts and releases; how many holds were refused.
   */
  private static long holdAndRelease(long bound, SplittableRandom random, CountDownLatch start) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long refused = 0;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    for (int i = 0; System.nanoTime() < end; i++) {
      FitMemory.Share share = FitMemory.share(bound, "fitMaxBytes");
      try {
        share.hold(random.nextLong(MB, 3 * MB), "fit", i);
        share.hold(random.nextLong(3 * MB, 5 * MB), "fit", i);
      } catch (ActorException e) {
        refused++;
      } finally {
        share.release();
      }
    }
    return refused;
  }
}
