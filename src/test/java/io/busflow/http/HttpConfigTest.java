package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.config.EnvOverrides;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code http} section: every bad value fails naming its path, the value and the remedy. */
class HttpConfigTest {

  private static ConfigException bad(JsonObject http) {
    return assertThrows(ConfigException.class, () -> HttpConfig.read(http));
  }

  @Test
  void theShippedConfiguration_isValidAndEnablesTheBridgeOnLoopback() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/busflow.json")));
    HttpConfig c = HttpConfig.read(conf.getJsonObject("http"));
    assertTrue(c.enabled());
    assertEquals("127.0.0.1", c.host());
    assertEquals(8080, c.port());
    assertTrue(c.bus().allows("busflow.tutorial.loader"));
    assertTrue(c.eventbus().outbound().allows("busflow.jobs.j7.progress"));
  }

  @Test
  void limits_haveDefaultsAndAreValidatedNamingTheirPath() {
    HttpConfig.Limits d = HttpConfig.defaults().limits();
    assertEquals(64L * 1024 * 1024, d.bodyBytesInFlight());
    assertEquals(10_000, d.predictRecords());
    assertEquals("http.limits.bodyBytesInFlight", bad(new JsonObject().put("bodyLimitBytes", 2000)
        .put("limits", new JsonObject().put("bodyBytesInFlight", 1000))).path());
    assertEquals("http.limits.predictRowsInFlight", bad(new JsonObject()
        .put("limits", new JsonObject().put("predictRecords", 100).put("predictRowsInFlight", 10))).path());
    assertEquals("http.limits.jsonValues", bad(new JsonObject().put("limits", new JsonObject().put("jsonValues", 0))).path());
    assertEquals("http.limits.jsonVaules", bad(new JsonObject().put("limits", new JsonObject().put("jsonVaules", 1))).path());
  }

  @Test
  void unknownKeys_failNamingTheirPath() {
    assertEquals("http.prot", bad(new JsonObject().put("prot", 1)).path());
    assertEquals("http.eventbus.inbound.adresses", bad(new JsonObject().put("eventbus", new JsonObject()
        .put("inbound", new JsonObject().put("adresses", new JsonArray())))).path());
  }

  @Test
  void badValues_failNamingPathValueAndRemedy() {
    ConfigException port = bad(new JsonObject().put("port", 70000));
    assertEquals("http.port", port.path());
    assertTrue(port.getMessage().contains("70000"), port.getMessage());
    ConfigException regex = bad(new JsonObject().put("bus", new JsonObject()
        .put("addressRegexes", new JsonArray().add("ok\\..*").add("busflow.(jobs"))));
    assertEquals("http.bus.addressRegexes[1]", regex.path());
    assertTrue(regex.getMessage().contains("'busflow.(jobs' is not a valid regular expression"), regex.getMessage());
    ConfigException key = bad(new JsonObject().put("apiKeys", new JsonArray().add("short")));
    assertEquals("http.apiKeys[0]", key.path());
    assertTrue(key.getMessage().contains("openssl rand"), key.getMessage());
    assertEquals("http.corsOrigins[0]", bad(new JsonObject().put("corsOrigins", new JsonArray()
        .add("app.example/path"))).path());
    assertEquals("http.eventbus.origins[0]", bad(new JsonObject().put("eventbus", new JsonObject()
        .put("origins", new JsonArray().add("ftp://x")))).path());
    assertEquals("http.host", bad(new JsonObject().put("host", " ")).path());
    assertEquals("http.bodyLimitBytes", bad(new JsonObject().put("bodyLimitBytes", 0)).path());
    assertEquals("http.eventbus.outbound.addresses[0]", bad(new JsonObject().put("eventbus", new JsonObject()
        .put("outbound", new JsonObject().put("addresses", new JsonArray().add("busflow.deadletters"))))).path());
  }

  @Test
  void aRandomPortWithSeveralInstances_isRefused() {
    ConfigException e = bad(new JsonObject().put("port", 0).put("instances", 2));
    assertEquals("http.instances", e.path());
  }

  @Test
  void allowedHosts_defaultToLoopbackAndTheBoundAddress_badOnesFailNamingTheirPath() {
    assertEquals(List.of("localhost", "127.0.0.1", "[::1]"), HttpConfig.defaults().allowedHosts());
    assertEquals(List.of("localhost", "127.0.0.1", "[::1]"),
        HttpConfig.read(new JsonObject().put("host", "0.0.0.0")).allowedHosts(), "a wildcard is no name");
    assertEquals(List.of("localhost", "127.0.0.1", "[::1]", "10.1.2.3"),
        HttpConfig.read(new JsonObject().put("host", "10.1.2.3")).allowedHosts());
    assertEquals(List.of("busflow.example.com", "10.0.0.5:8080"), HttpConfig.read(new JsonObject()
        .put("allowedHosts", new JsonArray().add("busflow.example.com").add("10.0.0.5:8080"))).allowedHosts());
    ConfigException url = bad(new JsonObject().put("allowedHosts", new JsonArray().add("ok").add("http://x/")));
    assertEquals("http.allowedHosts[1]", url.path());
    assertTrue(url.getMessage().contains("no scheme"), url.getMessage());
    JsonObject env = EnvOverrides.apply(new JsonObject().put("http", new JsonObject()),
        Map.of("BUSFLOW_HTTP__ALLOWED_HOSTS", "[\"node-1.lan\"]"));
    assertEquals(List.of("node-1.lan"), HttpConfig.read(env.getJsonObject("http")).allowedHosts());
  }

  @Test
  void bridgeLimits_haveDefaults_andAreValidated() {
    HttpConfig.EventBusConfig d = HttpConfig.defaults().eventbus();
    assertEquals(1024 * 1024, d.maxQueuedBytes());
    assertEquals(1000, d.maxSessions());
    assertEquals(65536, d.maxFrameBytes());
    assertEquals("http.eventbus.maxQueuedBytes", bad(new JsonObject().put("eventbus", new JsonObject()
        .put("maxQueuedBytes", 10))).path());
    assertEquals("http.eventbus.maxSessions", bad(new JsonObject().put("eventbus", new JsonObject()
        .put("maxSessions", 0))).path());
  }
}
