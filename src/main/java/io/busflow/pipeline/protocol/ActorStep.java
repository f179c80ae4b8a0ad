package io.busflow.pipeline.protocol;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A preprocessing step that is a user's own actor, {@code {"actor": {"address": "acme.enrich"}}}: busflow asks
 * it to apply itself to each batch of rows as read ({@link StageProtocol}), before its own steps, when it
 * trains, scores and serves predictions alike, so that the preprocessor sees the same columns each time.
 *
 * @param position its index in {@code preprocessing.steps}
 * @param address  the event-bus address of the user's actor
 */
public record ActorStep(int position, String address) {

  /** The key of an actor step in {@code preprocessing.steps}. */
  static final String KEY = "actor";
  /** busflow's own namespace: a user's stage lives elsewhere. */
  private static final String RESERVED = "busflow.";

  /** How errors name it: {@code preprocessing.steps[0] (actor 'acme.enrich')}. */
  public String describe() {
    return "preprocessing.steps[" + position + "] (actor '" + address + "')";
  }

  /**
   * The actor steps at the start of {@code steps} (the raw list of section {@code pre}), checked; an actor step
   * after one of busflow's own steps fails naming its path.
   */
  static List<ActorStep> leading(JsonArray steps, ConfigReader pre) {
    List<ActorStep> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (!isActor(steps.getValue(i))) {
        continue;
      }
      if (i != out.size()) {
        throw new ConfigException(pre.path("steps[" + i + "]." + KEY), "comes after busflow's step steps["
            + (i - 1) + "]; actor steps work on the rows as read, before busflow's own steps: move it up");
      }
      out.add(read(i, (JsonObject) steps.getValue(i), pre));
    }
    return out;
  }

  private static boolean isActor(Object step) {
    return step instanceof JsonObject o && o.containsKey(KEY);
  }

  private static ActorStep read(int i, JsonObject step, ConfigReader pre) {
    String at = "steps[" + i + "]";
    if (step.size() != 1) {
      throw new ConfigException(pre.path(at), "must have exactly one key, actor, but has " + step.fieldNames());
    }
    ConfigReader r = new ConfigReader(body(step, pre.path(at + "." + KEY)), pre.path(at + "." + KEY));
    ActorStep s = new ActorStep(i, address(r));
    r.done();
    return s;
  }

  private static JsonObject body(JsonObject step, String path) {
    if (!(step.getValue(KEY) instanceof JsonObject body)) {
      throw new ConfigException(path, "must be an object such as {\"address\": \"acme.enrich\"} but is "
          + step.getValue(KEY));
    }
    return body;
  }

  private static String address(ConfigReader r) {
    String a = r.requiredString("address");
    if (!a.equals(a.strip()) || a.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(r.path("address"), "is '" + a + "'; an address has no spaces: use a dotted name "
          + "such as acme.enrich");
    }
    if (a.startsWith(RESERVED)) {
      throw new ConfigException(r.path("address"), "is '" + a + "', in busflow's own namespace (" + RESERVED
          + "*); give your stage an address of your own, such as acme.enrich");
    }
    return a;
  }

  /** {@code steps} without its leading {@code count} actor steps. */
  static JsonArray rest(JsonArray steps, int count) {
    JsonArray rest = new JsonArray();
    for (int i = count; i < steps.size(); i++) {
      rest.add(steps.getValue(i));
    }
    return rest;
  }

  /** A preprocessing error path ({@code steps[1].impute.x}) counted in {@code rest} moved back by {@code count}. */
  static String shifted(String path, int count) {
    if (count == 0 || !path.startsWith("steps[")) {
      return path;
    }
    int end = path.indexOf(']');
    return "steps[" + (Integer.parseInt(path.substring(6, end)) + count) + path.substring(end);
  }
}
