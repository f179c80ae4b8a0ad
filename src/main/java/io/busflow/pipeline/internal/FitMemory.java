package io.busflow.pipeline.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes this JVM's fit sessions keep that grow with the rows they are sent — a model fit's kept rows, a
 * median's values, a multi-pass preprocessor's batches (estimated) —, and what training jobs keep to evaluate (the
 * test rows' labels and predictions), bounded so that a training job too large for the heap fails with {@code
 * TOO_LARGE} naming the bound, at the batch that passes it, instead of running the node out of memory. One count per
 * JVM, since the heap is the JVM's; each session is checked against its stage's {@code fitMaxBytes} (by default half
 * the JVM's maximum heap). Thread-safe.
 */
public final class FitMemory {

  private static final AtomicLong HELD = new AtomicLong();

  private FitMemory() {}

  /** The default bound: half the JVM's maximum heap. */
  public static long defaultMaxBytes() {
    return Runtime.getRuntime().maxMemory() / 2;
  }

  /** What every session of this JVM holds now. */
  public static long held() {
    return HELD.get();
  }

  /** What rows are kept for: named in the error, with the remedy that keeps fewer. */
  public enum Purpose {
    /** A fit session's rows. */
    FIT("to fit", "train on fewer rows"),
    /** A training job's test rows, kept for its evaluation. */
    EVALUATION("to evaluate", "evaluate fewer rows (a smaller test split or file)");

    private final String words;
    private final String fewer;

    Purpose(String words, String fewer) {
      this.words = words;
      this.fewer = fewer;
    }
  }

  /** A fit session's share, checked against {@code maxBytes}, the option at {@code option} (named in errors). */
  public static Share share(long maxBytes, String option) {
    return share(maxBytes, option, Purpose.FIT);
  }

  /** A share of rows kept for {@code purpose}, checked against {@code maxBytes}, the option at {@code option}. */
  public static Share share(long maxBytes, String option, Purpose purpose) {
    return new Share(maxBytes, option, purpose);
  }

  /** What one fit session holds. */
  public static final class Share {
    private final long maxBytes;
    private final String option;
    private final Purpose purpose;
    private long held;

    private Share(long maxBytes, String option, Purpose purpose) {
      this.maxBytes = maxBytes;
      this.option = option;
      this.purpose = purpose;
    }

    /**
     * Records that the session now keeps {@code bytes} (it never gives any back before {@link #release}); fails with
     * {@code TOO_LARGE}, recording nothing, when that would take this JVM's fits past the bound. {@code place} and
     * {@code rows} (the rows sent so far) name the fit in the message.
     */
    public synchronized void hold(long bytes, String place, long rows) {
      hold(bytes, place, rows, "");
    }

    /** {@link #hold(long, String, long)}, its refusal saying {@code detail} after the bytes (what part of them is). */
    public synchronized void hold(long bytes, String place, long rows, String detail) {
      long more = bytes - held;
      if (more <= 0) {
        return;
      }
      long before;
      long now;
      do { // never past the bound, not even for a moment: a refused hold must not refuse another session's
        before = HELD.get();
        now = before + more;
      } while (now <= maxBytes && !HELD.compareAndSet(before, now));
      if (now > maxBytes) {
        String others = now - bytes > 0 ? "; the node's other fits and evaluations hold " + mb(now - bytes) : "";
        throw new ActorException(ErrorCode.TOO_LARGE, place + ": keeping the rows " + purpose.words + " would take "
            + mb(bytes) + detail + " with this batch (" + rows + " rows so far" + others + "), past this node's "
            + "bound on fit memory, " + mb(maxBytes) + " (" + option + "; by default half the maximum heap); give the node a larger "
            + "heap (-Xmx) or raise " + option + " below it, or " + purpose.fewer);
      }
      held = bytes;
    }

    /** Gives back everything the session held. */
    public synchronized void release() {
      HELD.addAndGet(-held);
      held = 0;
    }
  }

  /** {@code bytes} as {@code "12.3 MB"}. */
  public static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
