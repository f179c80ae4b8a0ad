package io.busflow.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code tracing} section of a node's configuration, validated. Tracing is set up before Vert.x starts
 * (by {@code io.busflow.Launcher}), so this is read there; {@link NodeConfig#read} validates it as well, so
 * that a bad key fails every start-up naming its path.
 *
 * @param enabled whether spans are made and exported (default false; the standard {@code OTEL_*} variables
 *                can switch it on too, see {@code io.busflow.tracing.Tracing})
 * @param serviceName the {@code service.name} of the spans (default {@code busflow}; {@code OTEL_SERVICE_NAME} wins)
 */
public record TracingConfig(boolean enabled, String serviceName) {

  /** Off, service {@code busflow}. */
  public static TracingConfig defaults() {
    return read(new ConfigReader(new JsonObject(), "tracing"));
  }

  /** Reads and validates the {@code tracing} section of a whole node configuration. */
  public static TracingConfig of(JsonObject nodeConfig) {
    return read(ConfigReader.root(nodeConfig).object("tracing"));
  }

  static TracingConfig read(ConfigReader r) {
    TracingConfig c = new TracingConfig(r.bool("enabled", false), r.string("serviceName", "busflow"));
    r.done();
    if (c.serviceName.isBlank()) {
      throw new ConfigException(r.path("serviceName"), "must not be blank; it names this service in the traces, "
          + "e.g. \"busflow\" or \"churn-scoring\"");
    }
    return c;
  }
}
