package io.busflow.config;

import io.vertx.core.json.JsonObject;

/**
 * How one actor runs on a node.
 *
 * @param name the actor's name in the configuration ({@code loader}, {@code model}, …)
 * @param type which implementation: a built-in actor name or a fully qualified class name
 * @param address the event-bus address of its mailbox
 * @param instances how many instances share the address (requests spread across them); with
 *                  {@link Threading#PER_LOOP}, 1 in the configuration and one per event loop when deployed
 * @param threading event loop, worker, or per loop
 * @param mailboxCapacity requests queued per instance beyond the one in progress; more get MAILBOX_FULL
 * @param requestTimeoutMs default deadline of requests that do not carry one
 * @param drainTimeoutMs how long a stopping instance keeps working through its queue
 * @param supervision crash detection and restart policy
 * @param options the actor's own settings, validated by the actor
 */
public record ActorConfig(String name, String type, String address, int instances, Threading threading,
                          int mailboxCapacity, long requestTimeoutMs, long drainTimeoutMs,
                          SupervisionConfig supervision, JsonObject options) {

  public static final int DEFAULT_MAILBOX = 1024;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

  /** Defaults for an actor at {@code address}, as when it is deployed without configuration. */
  public static ActorConfig defaults(String name, String address) {
    return new ActorConfig(name, name, address, 1, Threading.EVENT_LOOP, DEFAULT_MAILBOX,
        DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_DRAIN_TIMEOUT_MS, SupervisionConfig.DEFAULT, new JsonObject());
  }

  /** Reads an actor entry; {@code defaultAddress} applies when the entry names none. */
  public static ActorConfig read(String name, ConfigReader r, String defaultAddress) {
    ActorConfig c = new ActorConfig(
        name,
        r.string("type", name),
        r.string("address", defaultAddress),
        r.integer("instances", 1, 1, 1024),
        r.enumValue("threading", Threading.class, Threading.EVENT_LOOP),
        r.integer("mailboxCapacity", DEFAULT_MAILBOX, 1, 10_000_000),
        r.longValue("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 1, 86_400_000),
        r.longValue("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS, 0, 3_600_000),
        SupervisionConfig.read(r.object("supervision")),
        r.rawObject("options"));
    r.allow("enabled");
    r.done();
    if (c.address == null || c.address.isBlank()) {
      throw new ConfigException(r.path("address"), "is required for actor type '" + c.type + "'");
    }
    if (c.threading == Threading.PER_LOOP && c.instances != 1) {
      throw new ConfigException(r.path("instances"), "is " + c.instances + " but threading 'per-loop' deploys one "
          + "instance on each of the node's event loops; remove instances, or set threading to 'event-loop' or "
          + "'worker'");
    }
    return c;
  }

  /** The same configuration as the JSON a verticle receives in its {@code config()}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("address", address)
        .put("instances", instances)
        .put("threading", threading.name().toLowerCase().replace('_', '-'))
        .put("mailboxCapacity", mailboxCapacity)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("drainTimeoutMs", drainTimeoutMs)
        .put("supervision", new JsonObject()
            .put("maxFailures", supervision.maxFailures())
            .put("windowMs", supervision.windowMs())
            .put("maxRestarts", supervision.maxRestarts())
            .put("initialBackoffMs", supervision.initialBackoffMs())
            .put("maxBackoffMs", supervision.maxBackoffMs()))
        .put("options", options.copy());
  }

  public ActorConfig withAddress(String newAddress) {
    return new ActorConfig(name, type, newAddress, instances, threading, mailboxCapacity, requestTimeoutMs,
        drainTimeoutMs, supervision, options);
  }

  public ActorConfig withInstances(int n) {
    return new ActorConfig(name, type, address, n, threading, mailboxCapacity, requestTimeoutMs,
        drainTimeoutMs, supervision, options);
  }

  public ActorConfig withMailboxCapacity(int n) {
    return new ActorConfig(name, type, address, instances, threading, n, requestTimeoutMs,
        drainTimeoutMs, supervision, options);
  }

  public ActorConfig withThreading(Threading t) {
    return new ActorConfig(name, type, address, instances, t, mailboxCapacity, requestTimeoutMs,
        drainTimeoutMs, supervision, options);
  }

  public ActorConfig withSupervision(SupervisionConfig s) {
    return new ActorConfig(name, type, address, instances, threading, mailboxCapacity, requestTimeoutMs,
        drainTimeoutMs, s, options);
  }

  public ActorConfig withDrainTimeoutMs(long ms) {
    return new ActorConfig(name, type, address, instances, threading, mailboxCapacity, requestTimeoutMs,
        ms, supervision, options);
  }

  public ActorConfig withOptions(JsonObject o) {
    return new ActorConfig(name, type, address, instances, threading, mailboxCapacity, requestTimeoutMs,
        drainTimeoutMs, supervision, o);
  }
}
