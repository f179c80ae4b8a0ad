package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a frame from a SockJS client must look like before the bridge sees it, and the {@code err} frames the
 * bridge answers with. A frame is a JSON object with a {@code type} (send, publish, register, unregister, ping);
 * all but ping name an {@code address} (a string, not blank, at most {@value AddressAllowList#MAX_LENGTH}
 * characters, no whitespace); {@code replyAddress}, when present, is such a string too; {@code headers}, when
 * present, is an object of at most {@value #MAX_HEADERS} entries whose names are HTTP tokens and whose values are
 * strings, numbers or booleans without control characters, at most {@value #MAX_HEADER_VALUE} characters.
 */
final class BridgeFrames {

  static final int MAX_HEADERS = 32;
  static final int MAX_HEADER_VALUE = 1024;
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
  private static final String SHAPE = "; a frame is a JSON object such as "
      + "{\"type\":\"send\",\"address\":\"…\",\"body\":…,\"headers\":{…},\"replyAddress\":\"…\"}";

  private BridgeFrames() {}

  /** A frame that is valid, or the reason it is not; {@code replyAddress} is set when the frame had a usable one. */
  record Checked(JsonObject frame, String problem, String replyAddress) {}

  static Checked check(Buffer data) {
    Object value;
    try {
      value = Json.decodeValue(data);
    } catch (DecodeException e) {
      return bad(null, "the frame is not JSON" + SHAPE);
    }
    if (!(value instanceof JsonObject frame)) {
      return bad(null, "the frame is JSON but not an object" + SHAPE);
    }
    String reply = frame.getValue("replyAddress") instanceof String r && AddressAllowList.malformed(r) == null
        ? r : null;
    String problem = problem(frame);
    return problem == null ? new Checked(frame, null, reply) : bad(reply, problem);
  }

  private static Checked bad(String replyAddress, String problem) {
    return new Checked(null, problem, replyAddress);
  }

  private static String problem(JsonObject frame) {
    Object type = frame.getValue("type");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      return "'type' is " + shown(type) + " but must be one of send, publish, register, unregister, ping" + SHAPE;
    }
    if (t.equals("ping")) {
      return null;
    }
    String address = addressProblem("address", frame.getValue("address"));
    if (address != null) {
      return address;
    }
    if (frame.getValue("replyAddress") != null) {
      String reply = addressProblem("replyAddress", frame.getValue("replyAddress"));
      if (reply != null) {
        return reply;
      }
    }
    return headersProblem(frame.getValue("headers"));
  }

  private static String addressProblem(String key, Object value) {
    if (!(value instanceof String a)) {
      return "'" + key + "' is " + shown(value) + " but must be a string naming an event-bus address";
    }
    String why = AddressAllowList.malformed(a);
    return why == null ? null : "'" + key + "' " + why;
  }

  private static String headersProblem(Object headers) {
    if (headers == null) {
      return null;
    }
    if (!(headers instanceof JsonObject h)) {
      return "'headers' is " + shown(headers) + " but must be an object of header names to string values";
    }
    if (h.size() > MAX_HEADERS) {
      return "'headers' has " + h.size() + " entries; at most " + MAX_HEADERS + " are accepted";
    }
    for (String name : h.fieldNames()) {
      String why = headerProblem(name, h.getValue(name));
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String headerProblem(String name, Object value) {
    if (!TOKEN.matcher(name).matches()) {
      return "header name '" + HostCheck.printable(name) + "' is not a token (letters, digits, -, _, …; at most 64)";
    }
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      return "header '" + name + "' is " + shown(value) + " but must be a string, number or boolean";
    }
    String v = value.toString();
    if (v.length() > MAX_HEADER_VALUE) {
      return "header '" + name + "' is " + v.length() + " characters long; at most " + MAX_HEADER_VALUE;
    }
    return v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        ? "header '" + name + "' contains a control character (a line break, say); send it without" : null;
  }

  private static String shown(Object value) {
    if (value == null) {
      return "missing";
    }
    String kind = value instanceof JsonObject ? "an object" : value instanceof io.vertx.core.json.JsonArray
        ? "a list" : value instanceof String s ? "'" + HostCheck.printable(s) + "'" : String.valueOf(value);
    return kind;
  }

  /** {@code {"type":"err","failureCode","failureType","message"}}, addressed to {@code address} when not null. */
  static JsonObject error(ErrorCode code, String message, String address) {
    JsonObject frame = new JsonObject().put("type", "err").put("failureCode", code.wire())
        .put("failureType", code.name()).put("message", message);
    return address == null ? frame : frame.put("address", address);
  }
}
