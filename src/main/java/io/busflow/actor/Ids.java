package io.busflow.actor;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Cheap ids, unique across JVMs with overwhelming probability: a random per-JVM prefix and a counter. */
public final class Ids {

  private static final String PREFIX = prefix();
  private static final AtomicLong SEQ = new AtomicLong();

  private Ids() {}

  public static String next() {
    return PREFIX + Long.toString(SEQ.incrementAndGet(), 36);
  }

  private static String prefix() {
    long r = new SecureRandom().nextLong() & 0x7fff_ffff_ffffL;
    return Long.toString(r, 36) + "-";
  }
}
