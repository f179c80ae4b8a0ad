package io.busflow.pipeline.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.Envelope;
import io.busflow.actor.MessageDecoder;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/** What the JSON requests of the stages and the coordinator share. */
public final class Requests {

  private Requests() {}

  /**
   * The request in {@code e}'s JSON body (a JSON object, or a string holding one) read by {@code read};
   * a body that is no JSON object, or a key that {@code read} refuses, is {@code BAD_REQUEST} naming
   * {@code address}.
   */
  public static <R> R fromJson(Envelope e, String address, Function<JsonObject, R> read) {
    try {
      return read.apply(MessageDecoder.jsonBody(e));
    } catch (ConfigException x) {
      throw ActorException.badRequest("request to '" + address + "': " + x.getMessage());
    }
  }

  /** Where a {@code load} request takes fitted state from: given inline, or a file. Exactly one is set. */
  public record Source(Map<String, Object> state, String path) {}

  /** The {@code state} or the {@code path} of a {@code load} request; {@code what} names the state in errors. */
  public static Source loadSource(ConfigReader r, String what) {
    String path = r.string("path", null);
    JsonObject state = r.has("state") ? r.rawObject("state") : null;
    if ((path == null) == (state == null)) {
      throw new ConfigException("state", "give exactly one of 'state' (" + what + ") and 'path' (a file)");
    }
    return new Source(state == null ? null : JsonShapes.toMap(state), path);
  }

  /** The required {@code rows} list of a JSON request. */
  public static JsonArray rows(JsonObject request) {
    if (!(request.getValue("rows") instanceof JsonArray a)) {
      throw new ConfigException("rows", "is required and must be a list of row objects");
    }
    return a;
  }
}
