package io.busflow.data;

import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Lets a long computation — a model or preprocessor fit — stop when its caller gives it up. The caller runs
 * the work inside {@link #watching}; the work's loops call {@link #check()} between steps (Newton
 * iterations, batches), which throws {@link Cancelled} once the caller's flag is set.
 *
 * <p>Why a scope and not a parameter: the fits are reached through the model and transformer APIs
 * ({@code Model} types, {@code Preprocessor.fit}), which should not all grow a cancellation argument for
 * the one caller that needs it. Unlike thread interruption, the scope ends with the call, so nothing is
 * left behind on a pooled thread.
 */
public final class Cancellation {

  private static final ThreadLocal<BooleanSupplier> CURRENT = new ThreadLocal<>();

  private Cancellation() {}

  /** Thrown by {@link #check()} once the work was given up. */
  public static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** Runs {@code work} on this thread; inside it, {@link #check()} throws once {@code cancelled} is true. */
  public static <T> T watching(BooleanSupplier cancelled, Callable<T> work) throws Exception {
    return Scoped.with(CURRENT, cancelled, work);
  }

  /** Throws {@link Cancelled} when the work this thread runs inside {@link #watching} was given up. */
  public static void check() {
    BooleanSupplier c = CURRENT.get();
    if (c != null && c.getAsBoolean()) {
      throw new Cancelled();
    }
  }
}
