package io.busflow.actor;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Turns a raw request into the actor's message type at the actor's edge. Throwing an
 * {@link ActorException} (usually {@link ErrorCode#BAD_REQUEST}) rejects the request with that failure.
 */
@FunctionalInterface
public interface MessageDecoder<M> {

  M decode(Envelope envelope);

  /** The body as it arrived. */
  static MessageDecoder<Object> any() {
    return Envelope::body;
  }

  /** A JSON object body (or a string holding one) mapped by {@code mapper}. */
  static <M> MessageDecoder<M> json(Function<JsonObject, M> mapper) {
    return e -> mapper.apply(jsonBody(e));
  }

  /** A body of the given type; anything else is BAD_REQUEST naming both types. */
  static <M> MessageDecoder<M> ofType(Class<M> type) {
    return e -> {
      Object body = e.body();
      if (!type.isInstance(body)) {
        throw ActorException.badRequest("'" + e.address() + "' expects a " + type.getSimpleName()
            + " body but got " + describe(body));
      }
      return type.cast(body);
    };
  }

  /** The body as a JSON object; a string body is parsed. BAD_REQUEST otherwise. */
  static JsonObject jsonBody(Envelope e) {
    Object body = e.body();
    if (body instanceof JsonObject j) {
      return j;
    }
    if (body instanceof String s && s.trim().startsWith("{")) {
      try {
        return new JsonObject(s);
      } catch (DecodeException ex) {
        throw ActorException.badRequest("'" + e.address() + "' got malformed JSON: " + ex.getMessage());
      }
    }
    throw ActorException.badRequest("'" + e.address() + "' expects a JSON object but got " + describe(body));
  }

  private static String describe(Object body) {
    return body == null ? "no body" : body.getClass().getSimpleName();
  }
}
