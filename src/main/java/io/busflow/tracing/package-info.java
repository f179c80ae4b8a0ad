/**
 * Tracing adapter: OpenTelemetry through Vert.x's own tracing SPI ({@code vertx-opentelemetry}), switched on by
 * {@code tracing.enabled} or the standard {@code OTEL_*} variables, exporting over OTLP as those variables say.
 * Spans carry busflow's correlation id. May import {@code actor} and {@code config}; only the wiring (the
 * launcher) and tests import it.
 */
package io.busflow.tracing;
