package io.busflow.http;

import io.busflow.actor.NodeActors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The Prometheus registry behind {@code GET /metrics}, one per Vert.x instance. When Vert.x was created with
 * vertx-micrometer-metrics and a Prometheus backend (busflow's launcher does so, see {@link #enable}), it is
 * Vert.x's own registry: event-bus, HTTP server and JVM series come from Vert.x. Otherwise (a plain
 * {@code Vertx.vertx()}, someone else's launcher) busflow creates a registry of its own with JVM series only.
 * Either way the per-actor series of {@link ActorMeters} and the job series of {@link JobMeters} are added.
 */
public final class PrometheusMetrics implements Shareable {

  /** The Micrometer registry name busflow's launcher gives Vert.x's metrics. */
  public static final String REGISTRY_NAME = "busflow";
  private static final String KEY = "busflow.prometheus";
  /** The name prefix of the worker pool each job runs its blocking work on. */
  private static final String JOB_POOL = "busflow-job";
  private static final String NOT_BASE_UNIT = "jvm.compilation.time";

  /** The registries {@link #bounded} has filtered already. */
  private static final Set<MeterRegistry> BOUNDED = Collections.synchronizedSet(Collections.newSetFromMap(
      new WeakHashMap<>()));

  private final PrometheusMeterRegistry registry;
  private final boolean fromVertx;

  private PrometheusMetrics(PrometheusMeterRegistry registry, boolean fromVertx) {
    this.registry = registry;
    this.fromVertx = fromVertx;
  }

  /**
   * Turns on vertx-micrometer-metrics with a Prometheus registry named {@value #REGISTRY_NAME} and JVM metrics
   * in {@code options}, unless the options already enable metrics of their own. HTTP server series carry the
   * matched route ({@code route="/api/v1/bus/:address"}, never the raw path, so their number is bounded) and
   * Vert.x's timers publish histogram buckets. Returns {@code options}.
   */
  public static VertxOptions enable(VertxOptions options) {
    if (options.getMetricsOptions() != null && options.getMetricsOptions().isEnabled()) {
      return options;
    }
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY_NAME)
        .setJvmMetricsEnabled(true)
        .addLabels(Label.HTTP_ROUTE)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true)));
  }

  /**
   * {@code builder} with the Prometheus registry of {@link #enable}d {@code options} made here, its filters
   * ({@link #bounded}) set before Vert.x registers a series in it: Micrometer warns about a filter added to a registry
   * that has series already, as one Vert.x made itself would. Other options leave {@code builder} as it is.
   */
  public static VertxBuilder withRegistry(VertxBuilder builder, VertxOptions options) {
    if (options.getMetricsOptions() instanceof MicrometerMetricsOptions m && m.isEnabled()
        && REGISTRY_NAME.equals(m.getRegistryName())) {
      return builder.withMetrics(new MicrometerMetricsFactory(bounded(new PrometheusMeterRegistry(
          PrometheusConfig.DEFAULT))));
    }
    return builder;
  }

  /**
   * {@code registry}, with every job's worker pool ({@code busflow-job-<job id>}) counted under one
   * {@code pool_name="busflow-job"}, so that the series do not grow with the jobs run, and without the one JVM
   * series not in a base unit ({@code jvm_compilation_time_ms_total}; Prometheus wants seconds).
   */
  static PrometheusMeterRegistry bounded(PrometheusMeterRegistry registry) {
    if (!BOUNDED.add(registry)) {
      return registry;
    }
    registry.config()
        .meterFilter(MeterFilter.replaceTagValues("pool_name", v -> v.startsWith(JOB_POOL) ? JOB_POOL : v))
        .meterFilter(MeterFilter.denyNameStartsWith(NOT_BASE_UNIT));
    registry.find(NOT_BASE_UNIT).meters().forEach(registry::remove);
    return registry;
  }

  /** The Micrometer registry of {@code vertx}'s {@code /metrics}, created on first use (blocking the first time). */
  public static MeterRegistry registry(Vertx vertx) {
    return of(vertx).registry();
  }

  /** The registry of {@code vertx}, created and bound to its actors on first use. */
  static PrometheusMetrics of(Vertx vertx) {
    var map = vertx.sharedData().<String, PrometheusMetrics>getLocalMap(KEY);
    synchronized (PrometheusMetrics.class) {
      PrometheusMetrics m = map.get(KEY);
      if (m == null) {
        m = create(vertx);
        ActorMeters.bind(m.registry, NodeActors.of(vertx));
        JobMeters.bind(vertx, m.registry);
        map.put(KEY, m);
      }
      return m;
    }
  }

  private static PrometheusMetrics create(Vertx vertx) {
    if (vertx.isMetricsEnabled()) {
      for (String name : List.of(REGISTRY_NAME, MicrometerMetricsOptions.DEFAULT_REGISTRY_NAME)) {
        if (BackendRegistries.getNow(name) instanceof PrometheusMeterRegistry p) {
          return new PrometheusMetrics(bounded(p), true);
        }
      }
    }
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmGcMetrics gc = new JvmGcMetrics();
    for (MeterBinder b : List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
        new ProcessorMetrics(), new UptimeMetrics())) {
      b.bindTo(own);
    }
    if (vertx instanceof VertxInternal v) {
      v.addCloseHook(done -> {
        gc.close();
        own.close();
        done.succeed();
      });
    }
    return new PrometheusMetrics(own, false);
  }

  /** The registry, for adding series. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Whether Vert.x's own metrics (event bus, HTTP server) are in the registry. */
  public boolean includesVertxMetrics() {
    return fromVertx;
  }

  /** The Prometheus text exposition of every series. */
  String scrape() {
    return registry.scrape();
  }
}
