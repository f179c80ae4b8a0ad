package io.busflow.config;

/**
 * When an actor counts as crashed and how it is restarted.
 *
 * @param maxFailures unexpected handler failures tolerated within {@code windowMs}; one more is a crash
 * @param windowMs the sliding window for {@code maxFailures}
 * @param maxRestarts restarts allowed in a row before the supervisor gives up on the instance
 * @param initialBackoffMs delay before the first restart; doubled for each further one
 * @param maxBackoffMs upper bound of the restart delay
 */
public record SupervisionConfig(int maxFailures, long windowMs, int maxRestarts, long initialBackoffMs,
                                long maxBackoffMs) {

  public static final SupervisionConfig DEFAULT = new SupervisionConfig(10, 10_000, 5, 100, 5_000);

  static SupervisionConfig read(ConfigReader r) {
    SupervisionConfig d = DEFAULT;
    SupervisionConfig c = new SupervisionConfig(
        r.integer("maxFailures", d.maxFailures, 0, 1_000_000),
        r.longValue("windowMs", d.windowMs, 1, Long.MAX_VALUE),
        r.integer("maxRestarts", d.maxRestarts, 0, 1_000_000),
        r.longValue("initialBackoffMs", d.initialBackoffMs, 0, 3_600_000),
        r.longValue("maxBackoffMs", d.maxBackoffMs, 0, 3_600_000));
    r.done();
    return c;
  }

  /** The delay before restart number {@code attempt} (1-based). */
  public long backoffMs(int attempt) {
    long delay = initialBackoffMs;
    for (int i = 1; i < attempt && delay < maxBackoffMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxBackoffMs);
  }
}
