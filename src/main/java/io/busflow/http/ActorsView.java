package io.busflow.http;

import io.busflow.actor.internal.ActorCounters;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actors of this node as {@code GET /api/v1/actors} shows them: one entry per actor (name and address),
 * its running instances, summed counters and mailbox depth; configured actors with no running instance are
 * listed with {@code instances: 0}.
 */
final class ActorsView {

  private final ActorRegistry registry;
  private final List<ActorConfig> configured;

  ActorsView(ActorRegistry registry, List<ActorConfig> configured) {
    this.registry = registry;
    this.configured = List.copyOf(configured);
  }

  JsonObject toJson() {
    JsonArray actors = new JsonArray();
    groups().forEach((key, group) -> actors.add(entry(key, group)));
    return new JsonObject().put("node", registry.nodeName()).put("actors", actors);
  }

  /** Running instances per actor ({@code name@address}), configured actors first, in configuration order. */
  Map<String, List<ActorCounters>> groups() {
    Map<String, List<ActorCounters>> out = new LinkedHashMap<>();
    configured.forEach(a -> out.put(key(a.name(), a.address()), new ArrayList<>()));
    for (ActorCounters c : registry.instances()) {
      out.computeIfAbsent(key(c.name(), c.address()), k -> new ArrayList<>()).add(c);
    }
    return out;
  }

  static String key(String name, String address) {
    return name + "@" + address;
  }

  private JsonObject entry(String key, List<ActorCounters> group) {
    int at = key.indexOf('@');
    return new JsonObject()
        .put("name", key.substring(0, at))
        .put("address", key.substring(at + 1))
        .put("node", registry.nodeName())
        .put("threading", group.isEmpty() ? null : group.get(0).threading().toLowerCase().replace('_', '-'))
        .put("instances", group.size())
        .put("mailboxDepth", group.stream().mapToInt(ActorCounters::mailboxDepth).sum())
        .put("counters", sum(group));
  }

  static JsonObject sum(List<ActorCounters> group) {
    long received = 0;
    long replied = 0;
    long processed = 0;
    long crashes = 0;
    double totalMs = 0;
    double maxMs = 0;
    JsonObject failed = new JsonObject();
    for (ActorCounters c : group) {
      JsonObject j = c.toJson();
      received += j.getLong("received");
      replied += j.getLong("replied");
      processed += j.getLong("processed");
      crashes += j.getLong("crashes");
      totalMs += j.getDouble("meanProcessingMs") * j.getLong("processed");
      maxMs = Math.max(maxMs, j.getDouble("maxProcessingMs"));
      c.failures().forEach((code, n) -> failed.put(code.name(), failed.getLong(code.name(), 0L) + n));
    }
    return new JsonObject().put("received", received).put("replied", replied).put("failed", failed)
        .put("processed", processed).put("meanProcessingMs", processed == 0 ? 0.0 : totalMs / processed)
        .put("maxProcessingMs", maxMs).put("crashes", crashes);
  }
}
