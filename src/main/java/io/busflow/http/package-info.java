/**
 * The HTTP bridge: a vertx-web verticle ({@link io.busflow.http.HttpBridge}) serving the REST API under
 * {@code /api/v1}, the generic HTTP-to-event-bus endpoint, the SockJS event-bus bridge, health and Prometheus
 * metrics, and the pipeline routes as {@link io.busflow.http.ApiModule}s ({@link io.busflow.http.PredictApi}).
 * Every error goes through one mapper ({@code HttpErrors}). May import {@code actor}, {@code config}, the
 * stages' protocol classes and the pipeline's clients of them ({@code PredictionService}); talks to actors
 * only through their addresses. Users touch {@link io.busflow.http.HttpBridge}, {@link io.busflow.http.HttpConfig},
 * {@link io.busflow.http.ApiModule} and {@link io.busflow.http.PredictApi}.
 */
package io.busflow.http;
