package io.busflow.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's configuration ({@code conf/busflow.json}): its name, the data roots, which actors it runs and
 * how, and the raw sections that other components validate themselves ({@code http}).
 *
 * @param nodeName shown in logs, {@code /api/v1/actors} and job reports
 * @param dataRoots directories sources may be read from
 * @param outputRoots directories outputs may be written to
 * @param actors the enabled actors, in file order
 * @param http the HTTP bridge's section ({@code enabled: false} or absent: no HTTP server)
 * @param pipelines directory of pipeline definitions
 */
public record NodeConfig(String nodeName, List<String> dataRoots, List<String> outputRoots,
                         List<ActorConfig> actors, JsonObject http, String pipelines) {

  /** Parses and validates {@code json}; the first unknown or invalid key fails with its path. */
  public static NodeConfig read(JsonObject json, ActorDefaults defaults) {
    ConfigReader root = ConfigReader.root(json);
    ConfigReader node = root.object("node");
    String name = node.string("name", "local");
    node.done();
    ConfigReader data = root.object("data");
    List<String> roots = data.strings("roots", List.of("data"));
    List<String> outputs = data.strings("outputRoots", List.of("data/out"));
    data.done();
    String pipelines = root.string("pipelines", "conf/pipelines");
    List<ActorConfig> actors = readActors(root.object("actors"), defaults);
    JsonObject http = root.rawObject("http");
    TracingConfig.read(root.object("tracing")); // validated here; used before Vert.x starts (io.busflow.Launcher)
    root.done();
    return new NodeConfig(name, roots, outputs, actors, http, pipelines);
  }

  private static List<ActorConfig> readActors(ConfigReader section, ActorDefaults defaults) {
    List<ActorConfig> out = new ArrayList<>();
    Set<String> declaredTypes = new HashSet<>();
    for (String name : section.keys()) {
      ConfigReader entry = section.object(name);
      String type = entry.string("type", name);
      declaredTypes.add(type);
      if (!entry.bool("enabled", true)) {
        continue;
      }
      String address = defaults.defaultAddress(type);
      if (address == null) {
        throw new ConfigException(section.path(name) + ".type", "'" + type + "' is not a known actor type; known: "
            + defaults.knownTypes() + ", or a fully qualified class name of an io.busflow.actor.Actor");
      }
      out.add(ActorConfig.read(name, entry, address));
    }
    for (ActorConfig implied : defaults.implied(out)) {
      if (!declaredTypes.contains(implied.type())) {
        out.add(implied);
      }
    }
    return List.copyOf(out);
  }

  /** What the wiring knows about actor types: their default addresses. */
  public interface ActorDefaults {
    /** The default address of {@code type}; {@code null} when the type is unknown. */
    String defaultAddress(String type);

    List<String> knownTypes();

    /**
     * Actors that {@code configured} needs beside them and the node deploys with their defaults unless the file
     * declares an actor of their type (enabled or not); none by default.
     */
    default List<ActorConfig> implied(List<ActorConfig> configured) {
      return List.of();
    }
  }
}
