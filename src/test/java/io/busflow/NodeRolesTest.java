package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The node roles of conf/nodes: each a valid node configuration; together they host every stage. */
class NodeRolesTest {

  private static Map<String, NodeConfig> roles() throws Exception {
    Map<String, NodeConfig> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("conf/nodes"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        out.put(f.getFileName().toString(), NodeConfig.read(new JsonObject(Files.readString(f)), new ActorTypes()));
      }
    }
    return out;
  }

  @Test
  void shippedRoles_areValid_andTogetherHostEveryStageOfAPipeline() throws Exception {
    Map<String, NodeConfig> roles = roles();
    assertTrue(roles.keySet().containsAll(Set.of("coordinator.json", "preprocessor.json", "model.json")),
        roles.keySet().toString());
    Set<String> types = new TreeSet<>();
    roles.values().forEach(n -> n.actors().forEach(a -> types.add(a.type())));
    assertTrue(types.containsAll(Set.of("pipeline", "loader", "preprocess", "model")), types.toString());
    assertEquals(Set.of("model"), typesOf(roles.get("model.json")));
    assertEquals(Set.of("preprocess"), typesOf(roles.get("preprocessor.json")));
    assertTrue(typesOf(roles.get("coordinator.json")).containsAll(Set.of("pipeline", "loader")));
    assertFalse(typesOf(roles.get("coordinator.json")).contains("model"), "the model runs on model nodes");
    roles.forEach((file, n) -> assertEquals(file.replace(".json", ""), n.nodeName(), file + ": node.name"));
  }

  @Test
  void aNodeWithALoaderButNoRunner_getsOne_unlessItDeclaresOne() {
    JsonObject loaderOnly = new JsonObject().put("actors", new JsonObject()
        .put("loader", new JsonObject().put("type", "loader").put("threading", "worker")));
    NodeConfig n = NodeConfig.read(loaderOnly, new ActorTypes());
    assertEquals(Set.of("loader", "runner"), typesOf(n), "a file from before runners existed still runs score jobs");
    ActorConfig runner = n.actors().stream().filter(a -> a.type().equals("runner")).findFirst().orElseThrow();
    assertEquals("busflow.runner", runner.address());

    JsonObject disabled = loaderOnly.copy();
    disabled.getJsonObject("actors").put("runner", new JsonObject().put("enabled", false));
    assertEquals(Set.of("loader"), typesOf(NodeConfig.read(disabled, new ActorTypes())));

    JsonObject noLoader = new JsonObject().put("actors", new JsonObject().put("model", new JsonObject()));
    assertEquals(Set.of("model"), typesOf(NodeConfig.read(noLoader, new ActorTypes())));
  }

  @Test
  void aRoleWithAnUnknownKey_failsNamingTheKeyPath() throws Exception {
    JsonObject model = new JsonObject(Files.readString(Path.of("conf/nodes/model.json")));
    model.getJsonObject("actors").getJsonObject("model").put("instancs", 3);
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.read(model, new ActorTypes()));
    assertEquals("actors.model.instancs", e.path());
    assertTrue(e.getMessage().contains("instances"), e.getMessage());
  }

  private static Set<String> typesOf(NodeConfig n) {
    Set<String> out = new TreeSet<>();
    for (ActorConfig a : n.actors()) {
      out.add(a.type());
    }
    return out;
  }
}
