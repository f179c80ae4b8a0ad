package io.busflow.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import io.busflow.actor.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Decodes a JSON body while counting what it holds, so that a small body cannot become a huge tree (10 MB of
 * {@code {},} are 3.4 million maps): its values (objects, arrays, strings, numbers, booleans, nulls) and, when it
 * is an object with a {@code records} array, the array's length. The count is made on the decoder's own tokens (one
 * pass over the body) and stops the decoding as soon as a limit is passed: no tree grows past the limits.
 *
 * <p>Past {@code maxValues} values: 413 naming {@code http.limits.jsonValues}. Past {@code maxRecords} records the
 * tree stops growing and the rest of the body is only counted: then malformed JSON is a 400 (as the decoder says),
 * too many values a 413 naming {@code http.limits.jsonValues}, else the body is {@link #tooManyRecords} — the caller
 * says which limit. A body decoded whole gives the same value as {@code Json.decodeValue} (a {@link JsonObject} or
 * {@link JsonArray} at the top), and malformed JSON the same {@link DecodeException}.
 */
final class JsonShape extends JsonParserDelegate {

  /**
   * A decoded body.
   *
   * @param value   the JSON value; null when it had more than the records asked for
   * @param records the elements of the top-level {@code records} array; 0 when there is none
   */
  record Decoded(Object value, long records) {
    boolean tooManyRecords() {
      return value == null && records > 0;
    }
  }

  /** Thrown through the decoder when the records pass their limit: the tree stops growing there. */
  private static final class RecordsPassed extends RuntimeException {
    RecordsPassed() {
      super(null, null, false, false);
    }
  }

  private final long maxValues;
  private final long maxRecords;
  private long values;
  private long records;
  private int depth;
  private int recordsDepth = -1;
  private boolean recordsNext;

  private JsonShape(JsonParser parser, long maxValues, long maxRecords) {
    super(parser);
    this.maxValues = maxValues;
    this.maxRecords = maxRecords;
  }

  /** Decodes {@code body} of at most {@code maxValues} values, any number of records. */
  static Object decode(Buffer body, long maxValues) {
    return decode(body, maxValues, Long.MAX_VALUE).value();
  }

  /**
   * Decodes {@code body} of at most {@code maxValues} values, or counts it to its end when its {@code records}
   * array has more than {@code maxRecords} elements ({@link Decoded#tooManyRecords()}).
   */
  static Decoded decode(Buffer body, long maxValues, long maxRecords) {
    JsonShape p = new JsonShape(JacksonCodec.createParser(body), maxValues, maxRecords);
    try {
      p.nextToken();
      Object value = JacksonCodec.parseValue(p);
      if (p.nextToken() != null) {
        throw new DecodeException("Unexpected trailing token");
      }
      return new Decoded(value instanceof Map<?, ?> m ? new JsonObject(cast(m))
          : value instanceof List<?> l ? new JsonArray(l) : value, p.records);
    } catch (RecordsPassed e) {
      return p.countRest();
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    } finally {
      close(p);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The rest of a body of too many records, counted without decoding; malformed JSON still fails as such. */
  private Decoded countRest() {
    try {
      while (nextToken() != null) {
        // counted by nextToken
      }
      return new Decoded(null, records);
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  private static void close(JsonParser p) {
    try {
      p.close();
    } catch (IOException e) {
      // a parser over a buffer in memory: nothing to release
    }
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken t = delegate.nextToken();
    if (t != null) {
      count(t);
    }
    return t;
  }

  @Override
  public String nextFieldName() throws IOException {
    String name = delegate.nextFieldName();
    JsonToken t = delegate.currentToken();
    if (t != null) {
      count(t);
    }
    return name;
  }

  private void count(JsonToken t) throws IOException {
    if (t == JsonToken.FIELD_NAME) {
      recordsNext = depth == 1 && "records".equals(delegate.currentName());
      return;
    }
    if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
      depth--;
      recordsDepth = depth < recordsDepth ? -1 : recordsDepth;
      return;
    }
    values++;
    if (values > maxValues) {
      throw new HttpFailure(413, ErrorCode.TOO_LARGE, "the request body holds more than " + maxValues
          + " JSON values (http.limits.jsonValues); send fewer records or fields per request, or raise the limit");
    }
    boolean passed = depth == recordsDepth && ++records == maxRecords + 1;
    if (t.isStructStart()) {
      recordsDepth = recordsNext && t == JsonToken.START_ARRAY ? depth + 1 : recordsDepth;
      depth++;
    }
    recordsNext = false;
    if (passed) {
      throw new RecordsPassed();
    }
  }
}
