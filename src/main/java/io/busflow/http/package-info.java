/**
 * The HTTP bridge: a vertx-web verticle ({@link io.busflow.http.HttpBridge}) serving the REST API under
 * {@code /api/v1}, the generic HTTP-to-event-bus endpoint, the SockJS event-bus bridge, health and Prometheus
 * metrics. Every error goes through one mapper ({@code HttpErrors}). May import {@code actor}, {@code config}
 * and the stages' protocol classes; talks to actors only through their addresses. Users touch
 * {@link io.busflow.http.HttpBridge}, {@link io.busflow.http.HttpConfig} and {@link io.busflow.http.ApiModule}.
 */
package io.busflow.http;
