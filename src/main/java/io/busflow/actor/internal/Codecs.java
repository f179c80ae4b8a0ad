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

  /** Per instance registered, the types it carries with busflow's codecs (not those the user registered first). */
  private static final Map<Vertx, Set<Class<?>>> OWN = Collections.synchronizedMap(new WeakHashMap<>());
  private static final List<CodecProvider> PROVIDERS = load();
  /** The instance asked about last, with its own types: asked about on every ask, found without the lock. */
  private static volatile Own last = new Own(new WeakReference<>(null), Set.of());

  private record Own(WeakReference<Vertx> vertx, Set<Class<?>> types) {}

  private Codecs() {}

  public static void ensureRegistered(Vertx vertx) {
    if (vertx != null) {
      own(vertx);
    }
  }

  /**
   * Whether {@code type} travels on {@code vertx}'s event bus with one of busflow's own codecs: a {@link BinaryCodec},
   * which hands a value over in one JVM as it is (the types are immutable). Registers the codecs first if need be.
   */
  public static boolean isOwn(Vertx vertx, Class<?> type) {
    return own(vertx).contains(type);
  }

  private static Set<Class<?>> own(Vertx vertx) {
    Own o = last;
    if (o.vertx().get() == vertx) {
      return o.types();
    }
    synchronized (OWN) {
      Set<Class<?>> types = OWN.get(vertx);
      if (types == null) {
        types = ConcurrentHashMap.newKeySet();
        for (CodecProvider p : PROVIDERS) {
          for (BinaryCodec<?> c : p.codecs()) {
            register(vertx, c, types);
          }
        }
        OWN.put(vertx, types);
      }
      last = new Own(new WeakReference<>(vertx), types);
      return types;
    }
  }

  private static <T> void register(Vertx vertx, BinaryCodec<T> c, Set<Class<?>> own) {
    try {
      vertx.eventBus().registerDefaultCodec(c.type(), c);
      own.add(c.type());
    } catch (IllegalStateException alreadyThere) {
      // registered by the user or an earlier class loader: keep theirs
    }
  }

  private static List<CodecProvider> load() {
    return ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get).toList();
  }
}
