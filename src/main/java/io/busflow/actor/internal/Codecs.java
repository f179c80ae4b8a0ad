package io.busflow.actor.internal;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.CodecProvider;
import io.vertx.core.Vertx;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** Registers every {@link CodecProvider}'s codecs once per Vert.x instance. */
public final class Codecs {

  private static final Map<Vertx, Boolean> DONE = Collections.synchronizedMap(new WeakHashMap<>());
  /** Per instance, the types registered with busflow's codecs (not the user's). */
  private static final Map<Vertx, Set<Class<?>>> OWN = Collections.synchronizedMap(new WeakHashMap<>());
  private static final List<CodecProvider> PROVIDERS = load();
  /** The instance registered last: asked about again on every actor reference made, found without the lock. */
  private static volatile WeakReference<Vertx> last = new WeakReference<>(null);

  private Codecs() {}

  public static void ensureRegistered(Vertx vertx) {
    if (vertx != null && last.get() == vertx) {
      return;
    }
    synchronized (DONE) {
      if (DONE.containsKey(vertx)) {
        last = new WeakReference<>(vertx);
        return;
      }
      for (CodecProvider p : PROVIDERS) {
        for (BinaryCodec<?> c : p.codecs()) {
          register(vertx, c);
        }
      }
      DONE.put(vertx, Boolean.TRUE);
      last = new WeakReference<>(vertx);
    }
  }

  private static <T> void register(Vertx vertx, BinaryCodec<T> c) {
    try {
      vertx.eventBus().registerDefaultCodec(c.type(), c);
      OWN.computeIfAbsent(vertx, v -> ConcurrentHashMap.newKeySet()).add(c.type());
    } catch (IllegalStateException alreadyThere) {
      // registered by the user or an earlier class loader: keep theirs
    }
  }

  /**
   * Whether {@code type} travels on {@code vertx}'s event bus with one of busflow's own codecs: a {@link BinaryCodec},
   * which hands a value over in one JVM as it is (the types are immutable).
   */
  public static boolean isOwn(Vertx vertx, Class<?> type) {
    Own o = lastOwn;
    if (o == null || o.vertx().get() != vertx) {
      Set<Class<?>> types = OWN.get(vertx);
      if (types == null) {
        return false;
      }
      o = new Own(new WeakReference<>(vertx), types);
      lastOwn = o;
    }
    return o.types().contains(type);
  }

  /** An instance's own types, kept for the instance asked about last: found without the lock. */
  private record Own(WeakReference<Vertx> vertx, Set<Class<?>> types) {}

  private static volatile Own lastOwn;

  private static List<CodecProvider> load() {
    return ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get).toList();
  }
}
