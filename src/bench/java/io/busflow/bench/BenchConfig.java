package io.busflow.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node configuration for a bench: a shipped file ({@code conf/busflow.json}, a role of {@code conf/nodes})
 * with the HTTP bridge off and outputs allowed under {@code target/bench} only, where the benches write
 * (the shipped files keep {@code target/} out of their output roots).
 */
final class BenchConfig {

  static final String OUTPUT_ROOT = "target/bench";

  private BenchConfig() {}

  static JsonObject node(Path file) throws IOException {
    JsonObject c = new JsonObject(Files.readString(file));
    c.getJsonObject("http").put("enabled", false);
    return withBenchOutput(c);
  }

  /** {@code c} with {@code data.outputRoots} set to the bench's directory. */
  static JsonObject withBenchOutput(JsonObject c) {
    JsonObject data = c.getJsonObject("data", new JsonObject());
    c.put("data", data.put("outputRoots", new JsonArray().add(OUTPUT_ROOT)));
    return c;
  }
}
