package io.busflow.actor;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fail loud, never zombie: a {@link VirtualMachineError} ({@link OutOfMemoryError}, {@link StackOverflowError}, …)
 * anywhere in the node — an actor's handler, blocking work, an event loop, any thread — marks the node failed
 * (readiness answers DOWN, the HTTP bridge answers 503), logs one line, and halts the JVM with exit status
 * {@value #EXIT_STATUS} {@value #HALT_DELAY_MS} ms later, so that a supervisor (systemd, Kubernetes, the
 * cluster) replaces it. After such an error no code can be trusted to finish: event loops may be dead,
 * timers may never fire, locks may be held. Running the JVM with {@code -XX:+ExitOnOutOfMemoryError}
 * (as {@code run.sh} does) exits at once on an OOM; this class covers nodes started without the flag.
 *
 * <p>Node-wide (static): one JVM is one node. {@link #install(Vertx)} is idempotent.
 */
public final class FatalErrors {

  private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
  /** The exit status on a fatal error, the one {@code -XX:+ExitOnOutOfMemoryError} uses. */
  public static final int EXIT_STATUS = 3;
  /** How long the node answers "not ready" before it halts (load balancers and tests can see it). */
  public static final long HALT_DELAY_MS = 1000;

  private static final AtomicReference<String> FAILURE = new AtomicReference<>();
  private static final CountDownLatch FATAL = new CountDownLatch(1);
  private static Thread halter;

  private FatalErrors() {}

  /**
   * Routes {@code vertx}'s unhandled exceptions and every thread's uncaught ones through {@link #check}, and
   * starts the thread that halts the JVM (made now: under OOM a new thread may not be startable).
   */
  public static synchronized void install(Vertx vertx) {
    vertx.exceptionHandler(FatalErrors::onUnhandled);
    if (halter != null) {
      return;
    }
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      check(e);
      if (previous != null) {
        previous.uncaughtException(t, e);
      }
    });
    halter = new Thread(FatalErrors::haltWhenFatal, "busflow-fatal-halt");
    halter.setDaemon(true);
    halter.start();
  }

  /** Whether the node met a fatal error and is about to halt: it must be reported not ready. */
  public static boolean failed() {
    return FAILURE.get() != null;
  }

  /** The fatal error, one line; null while the node is healthy. */
  public static String failure() {
    return FAILURE.get();
  }

  /**
   * When {@code t} is or is caused by a {@link VirtualMachineError}: marks the node failed and has it halted.
   * Returns whether it was fatal. Call it where a {@code Throwable} is caught and turned into a reply.
   */
  public static boolean check(Throwable t) {
    VirtualMachineError fatal = fatalIn(t);
    if (fatal == null) {
      return false;
    }
    if (FAILURE.compareAndSet(null, fatal.toString())) {
      NodeHealth.markFailed(fatal.toString());
      logOnce(fatal);
      FATAL.countDown();
    }
    return true;
  }

  private static void onUnhandled(Throwable t) {
    if (!check(t)) {
      LOG.error("unhandled exception in a Vert.x handler", t);
    }
  }

  private static VirtualMachineError fatalIn(Throwable t) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof VirtualMachineError e) {
        return e;
      }
    }
    return null;
  }

  private static void logOnce(VirtualMachineError e) {
    try {
      LOG.error("fatal {} on thread '{}': the node is marked not ready and halts with exit status {} in {} ms; "
          + "restart it (and give it more memory, -Xmx, if this was an OutOfMemoryError)", e,
          Thread.currentThread().getName(), EXIT_STATUS, HALT_DELAY_MS);
    } catch (Throwable ignored) {
      System.err.println("busflow: fatal " + e + "; halting with exit status " + EXIT_STATUS);
    }
  }

  private static void haltWhenFatal() {
    try {
      FATAL.await();
      Thread.sleep(HALT_DELAY_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failed()) {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
