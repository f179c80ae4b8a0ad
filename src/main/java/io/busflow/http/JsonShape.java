package io.busflow.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.busflow.actor.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * What a JSON body holds, counted by a streaming scan before it is decoded, so that a small body cannot become
 * a huge tree (10 MB of {@code {},} are 3.4 million maps): its number of values (objects, arrays, strings,
 * numbers, booleans, nulls) and, when it is an object with a {@code records} array, the array's length.
 *
 * @param values the values in the body
 * @param records the elements of the top-level {@code records} array; 0 when there is none
 */
record JsonShape(long values, long records) {

  /**
   * Scans {@code body}; a body of more than {@code maxValues} values is a 413 {@link HttpFailure} naming
   * {@code http.limits.jsonValues}, stopped as soon as the limit is passed. Malformed JSON is left to the
   * decoder (the scan stops and reports what it saw).
   */
  static JsonShape scan(Buffer body, long maxValues) {
    try (JsonParser p = JacksonCodec.createParser(body)) {
      return new Scan(p, maxValues).run();
    } catch (IOException e) {
      return new JsonShape(0, 0); // not JSON: the decoder says why
    }
  }

  private static final class Scan {
    private final JsonParser parser;
    private final long maxValues;
    private long values;
    private long records;
    private int depth;
    private int recordsDepth = -1;
    private boolean recordsNext;

    Scan(JsonParser parser, long maxValues) {
      this.parser = parser;
      this.maxValues = maxValues;
    }

    JsonShape run() throws IOException {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        step(t);
        if (values > maxValues) {
          throw new HttpFailure(413, ErrorCode.TOO_LARGE, "the request body holds more than " + maxValues
              + " JSON values (http.limits.jsonValues); send fewer records or fields per request, or raise the limit");
        }
      }
      return new JsonShape(values, records);
    }

    private void step(JsonToken t) throws IOException {
      if (t == JsonToken.FIELD_NAME) {
        recordsNext = depth == 1 && "records".equals(parser.currentName());
        return;
      }
      if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        depth--;
        recordsDepth = depth < recordsDepth ? -1 : recordsDepth;
        return;
      }
      values++;
      records += depth == recordsDepth ? 1 : 0;
      if (t.isStructStart()) {
        recordsDepth = recordsNext && t == JsonToken.START_ARRAY ? depth + 1 : recordsDepth;
        depth++;
      }
      recordsNext = false;
    }
  }
}
