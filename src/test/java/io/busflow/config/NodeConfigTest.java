package io.busflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  private static final NodeConfig.ActorDefaults TYPES = new NodeConfig.ActorDefaults() {
    @Override
    public String defaultAddress(String type) {
      return type.equals("echo") ? "busflow.echo" : null;
    }

    @Override
    public List<String> knownTypes() {
      return List.of("echo");
    }
  };

  @Test
  void shippedDefaultConfiguration_isValid() throws Exception {
    JsonObject json = new JsonObject(Files.readString(Path.of("conf/busflow.json")));
    NodeConfig.ActorDefaults any = new NodeConfig.ActorDefaults() {
      @Override
      public String defaultAddress(String type) {
        return "busflow." + type;
      }

      @Override
      public List<String> knownTypes() {
        return List.of();
      }
    };
    NodeConfig cfg = NodeConfig.read(json, any);
    assertTrue(cfg.actors().size() >= 3, cfg.actors().toString());
  }

  @Test
  void unknownKey_failsWithItsFullPath() {
    JsonObject json = new JsonObject().put("actors", new JsonObject()
        .put("echo", new JsonObject().put("mailboxCapacty", 10)));
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.read(json, TYPES));
    assertEquals("actors.echo.mailboxCapacty", e.path());
    assertTrue(e.getMessage().contains("unknown key") && e.getMessage().contains("mailboxCapacity"), e.getMessage());
  }

  @Test
  void invalidValue_failsWithPathValueAndRange() {
    JsonObject json = new JsonObject().put("actors", new JsonObject()
        .put("echo", new JsonObject().put("instances", 0)));
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.read(json, TYPES));
    assertEquals("actors.echo.instances", e.path());
    assertTrue(e.getMessage().contains("is 0 but must be between 1 and"), e.getMessage());
  }

  @Test
  void wrongType_andUnknownEnum_areNamed() {
    JsonObject json = new JsonObject().put("actors", new JsonObject()
        .put("echo", new JsonObject().put("threading", "green")));
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.read(json, TYPES));
    assertEquals("actors.echo.threading", e.path());
    assertTrue(e.getMessage().contains("'green'") && e.getMessage().contains("worker"), e.getMessage());

    JsonObject json2 = new JsonObject().put("node", new JsonObject().put("name", 5));
    assertEquals("node.name", assertThrows(ConfigException.class, () -> NodeConfig.read(json2, TYPES)).path());
  }

  @Test
  void unknownActorType_isNamedWithTheKnownTypes() {
    JsonObject json = new JsonObject().put("actors", new JsonObject().put("x", new JsonObject()));
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.read(json, TYPES));
    assertEquals("actors.x.type", e.path());
    assertTrue(e.getMessage().contains("[echo]"), e.getMessage());
  }

  @Test
  void environmentVariables_overrideKeys_matchingExistingNamesOrCamelCase() {
    JsonObject json = new JsonObject().put("actors", new JsonObject()
        .put("echo", new JsonObject().put("instances", 1)));
    JsonObject applied = EnvOverrides.apply(json, Map.of(
        "BUSFLOW_ACTORS__ECHO__INSTANCES", "4",
        "BUSFLOW_ACTORS__ECHO__MAILBOX_CAPACITY", "64",
        "BUSFLOW_NODE__NAME", "edge-1",
        "BUSFLOW_DATA__ROOTS", "[\"a\",\"b\"]",
        "PATH", "/usr/bin"));
    NodeConfig cfg = NodeConfig.read(applied, TYPES);
    assertEquals(4, cfg.actors().get(0).instances());
    assertEquals(64, cfg.actors().get(0).mailboxCapacity());
    assertEquals("edge-1", cfg.nodeName());
    assertEquals(List.of("a", "b"), cfg.dataRoots());
  }

  @Test
  void environmentOverrideOfAnUnknownKey_failsLikeTheFileWould() {
    JsonObject applied = EnvOverrides.apply(new JsonObject(), Map.of("BUSFLOW_NODE__COLOUR", "red"));
    assertEquals("node.colour", assertThrows(ConfigException.class, () -> NodeConfig.read(applied, TYPES)).path());
  }

  @Test
  void aBadValueFromAVariable_namesTheVariable_andHowToWriteJsonWhenItWasTakenAsText() {
    ConfigException list = assertThrows(ConfigException.class, () -> EnvOverrides.read(new JsonObject(),
        Map.of("BUSFLOW_DATA__ROOTS", "/srv/data"), applied -> NodeConfig.read(applied, TYPES)));
    assertEquals("data.roots", list.path());
    assertTrue(list.getMessage().endsWith("(set by the environment variable BUSFLOW_DATA__ROOTS='/srv/data', taken as "
        + "text; a variable's value is read as JSON where it is JSON: 8080, true, [\"a\", \"b\"], {\"k\": 1})"),
        list.getMessage());
    // a JSON value that is out of range: the variable is named, no hint about JSON
    ConfigException number = assertThrows(ConfigException.class, () -> EnvOverrides.read(
        new JsonObject().put("actors", new JsonObject().put("echo", new JsonObject().put("instances", 1))),
        Map.of("BUSFLOW_ACTORS__ECHO__INSTANCES", "0"), applied -> NodeConfig.read(applied, TYPES)));
    assertEquals("actors.echo.instances", number.path());
    assertTrue(number.getMessage().endsWith("(set by the environment variable BUSFLOW_ACTORS__ECHO__INSTANCES='0')"),
        number.getMessage());
    // a bad key in the file itself is not blamed on a variable that set another key
    ConfigException file = assertThrows(ConfigException.class, () -> EnvOverrides.read(
        new JsonObject().put("node", new JsonObject().put("colour", "red")), Map.of("BUSFLOW_NODE__NAME", "edge-1"),
        applied -> NodeConfig.read(applied, TYPES)));
    assertFalse(file.getMessage().contains("environment"), file.getMessage());
  }

  @Test
  void logLevelAndClusterVariables_areNotConfigurationKeys() {
    JsonObject applied = EnvOverrides.apply(new JsonObject(), Map.of("BUSFLOW_LOG_LEVEL", "DEBUG",
        "BUSFLOW_CLUSTER_NAME", "x"));
    assertEquals(new JsonObject(), applied);
  }
}
