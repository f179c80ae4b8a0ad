package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing off the allow-list is reachable: internal addresses even under a match-everything regex, Vert.x's own
 * addresses, random names, and the edge cases of whole-address regex matching.
 */
@ExtendWith(VertxExtension.class)
class AllowListSweepTest {

  /** Never reachable, whatever the configuration says. */
  static final List<String> INTERNAL = List.of("busflow.deadletters", "busflow.reply.x1-2", "busflow.reply.",
      "busflow.nodes.0b3f-node.actors",
      "__vertx.reply.1", "__vertx.reply.42", "__vertx.cluster", "__vertx.hb", "__anything", " ",
      "busflow.tutorial.loader\n", "busflow.tutorial.loader ", "a\u0000b", "x".repeat(257));

  private static AddressAllowList list(JsonObject json) {
    return AddressAllowList.read(new ConfigReader(json, "http.bus"));
  }

  private static final AddressAllowList EVERYTHING = list(new JsonObject()
      .put("addressRegexes", new JsonArray().add(".*").add("(?s).*")));

  private static final AddressAllowList TUTORIAL = list(new JsonObject()
      .put("addresses", new JsonArray().add("busflow.tutorial.loader"))
      .put("addressRegexes", new JsonArray().add("busflow\\.jobs\\.[a-z0-9]+\\.progress")));

  @Test
  void internalAddresses_areDeniedEvenUnderAMatchEverythingRegex() {
    for (String a : INTERNAL) {
      assertFalse(EVERYTHING.allows(a), a);
    }
    assertTrue(EVERYTHING.allows("user.thing"), "the regex itself works");
  }

  @Test
  void randomNames_areDenied() {
    Random rnd = new Random(4);
    for (int i = 0; i < 2000; i++) {
      StringBuilder b = new StringBuilder();
      int len = 1 + rnd.nextInt(40);
      for (int j = 0; j < len; j++) {
        b.append((char) (' ' + rnd.nextInt(95)));
      }
      String a = b.toString();
      if (!a.equals("busflow.tutorial.loader")) {
        assertFalse(TUTORIAL.allows(a), a);
      }
    }
  }

  @Test
  void regexesMustMatchTheWholeAddress() {
    assertTrue(TUTORIAL.allows("busflow.jobs.j42.progress"));
    for (String a : List.of("busflow.jobs.j42.progress.x", "xbusflow.jobs.j42.progress", "busflow.jobs..progress",
        "busflow.jobs.J42.progress", "busflowxjobs.j42.progress", "busflow.jobs.j42.progress\n",
        "busflow.jobs.j42\n.progress", "busflow.jobs.a.b.progress", "busflow.tutorial.loader.x",
        "busflow.tutorial.loade", "BUSFLOW.TUTORIAL.LOADER", "busflow.tutorial.model")) {
      assertFalse(TUTORIAL.allows(a), a);
    }
    assertFalse(TUTORIAL.allows(null));
  }

  @Test
  void anInternalAddressOnTheList_failsStartUpNamingTheEntry() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> list(new JsonObject().put("addresses", new JsonArray().add("ok.one").add("__vertx.reply.1"))));
    assertEquals("http.bus.addresses[1]", e.path());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void overHttp_everyInternalOrUnlistedAddress_is403AndNothingIsDelivered(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger delivered = new AtomicInteger();
    List<String> targets = new ArrayList<>(INTERNAL);
    targets.addAll(List.of("busflow.tutorial.model", "busflow.jobs.j1.progress.x", "random.name", "%2e%2e"));
    targets.forEach(a -> vertx.eventBus().consumer(a, m -> {
      delivered.incrementAndGet();
      m.reply("leaked");
    }));
    JsonObject http = new JsonObject().put("bus", new JsonObject()
        .put("addresses", new JsonArray().add("busflow.tutorial.loader"))
        .put("addressRegexes", new JsonArray().add("busflow\\.jobs\\.[a-z0-9]+\\.progress")));
    Bridges.start(vertx, http, List.of())
        .compose(port -> sweep(WebClient.create(vertx), port, targets, ctx))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(0, delivered.get(), "no request may reach a denied address");
          ctx.completeNow();
        })));
  }

  private static Future<Void> sweep(WebClient client, int port, List<String> targets, VertxTestContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (String a : targets) {
      String path = "/api/v1/bus/" + URLEncoder.encode(a, StandardCharsets.UTF_8).replace("+", "%20");
      chain = chain.compose(v -> client.post(port, "127.0.0.1", path)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}"))
          .map(r -> {
            ctx.verify(() -> assertTrue(r.statusCode() == 403 || r.statusCode() == 404 || r.statusCode() == 400,
                a + " -> " + r.statusCode() + " " + r.bodyAsString()));
            return null;
          }));
    }
    return chain;
  }
}
