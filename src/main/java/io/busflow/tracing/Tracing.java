package io.busflow.tracing;

import io.busflow.config.ConfigException;
import io.busflow.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.vertx.core.VertxBuilder;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.tracing.TracingOptions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tracing on for a Vert.x instance about to be built. Off by default; on when {@code tracing.enabled} is
 * true, or when the environment asks for traces the standard way: {@code OTEL_TRACES_EXPORTER} set to an
 * exporter other than {@code none}, or an OTLP endpoint set ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}). {@code OTEL_SDK_DISABLED=true} keeps it off whatever else says.
 * The SDK is then configured by the OpenTelemetry autoconfiguration from the {@code OTEL_*} variables (and
 * {@code otel.*} system properties): OTLP over HTTP/protobuf to {@code http://localhost:4318} unless they say
 * otherwise; metrics and logs are not exported (busflow's metrics are at {@code /metrics}).
 */
public final class Tracing {

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  private Tracing() {}

  /** Whether spans should be made, by the configuration and the environment. */
  public static boolean wanted(TracingConfig config, Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
    return config.enabled() || (!exporter.isEmpty() && !exporter.equalsIgnoreCase("none"))
        || env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  }

  /** The SDK the environment describes, when tracing is wanted; closed by a JVM shutdown hook (spans flushed). */
  public static Optional<OpenTelemetrySdk> start(TracingConfig config, Map<String, String> env) {
    if (!wanted(config, env)) {
      return Optional.empty();
    }
    OpenTelemetrySdk sdk = autoconfigure(config, env);
    LOG.info("tracing on: service '{}', spans exported as the OTEL_* variables say (default: OTLP to "
        + "http://localhost:4318)", config.serviceName());
    return Optional.of(sdk);
  }

  /** {@code builder} with tracing as {@link #start} decides; unchanged when tracing is off. */
  public static VertxBuilder apply(VertxBuilder builder, TracingConfig config, Map<String, String> env) {
    return start(config, env).map(sdk -> withTracer(builder, sdk)).orElse(builder);
  }

  /** {@code builder} tracing into {@code openTelemetry} (tests give an SDK with an in-memory exporter). */
  public static VertxBuilder withTracer(VertxBuilder builder, OpenTelemetry openTelemetry) {
    return builder.withTracer(factory(openTelemetry));
  }

  static VertxTracerFactory factory(OpenTelemetry openTelemetry) {
    return new VertxTracerFactory() {
      @Override
      @SuppressWarnings("rawtypes")
      public io.vertx.core.spi.tracing.VertxTracer tracer(TracingOptions options) {
        return CorrelatedTracer.around(openTelemetry, options);
      }
    };
  }

  private static OpenTelemetrySdk autoconfigure(TracingConfig config, Map<String, String> env) {
    try {
      return AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> Map.of("otel.service.name", config.serviceName(),
              "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
          .addPropertiesCustomizer(props -> properties(env))
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      throw new ConfigException("tracing", "OpenTelemetry cannot be configured from the OTEL_* variables: "
          + e.getMessage() + "; busflow exports OTLP over HTTP (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, "
          + "the default) — fix the variable, or unset OTEL_TRACES_EXPORTER and tracing.enabled to trace nothing");
    }
  }

  /** {@code OTEL_FOO_BAR} → {@code otel.foo.bar}: the given environment, over the process's own. */
  private static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("OTEL_")) {
        out.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
      }
    });
    return out;
  }
}
