package io.busflow.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

class JsonShapeTest {

  private static Buffer b(String s) {
    return Buffer.buffer(s);
  }

  @Test
  void aBodyWithinTheLimits_decodesAsJsonDecodeValueDoes_andCountsItsRecords() {
    String body = "{\"records\":[{\"a\":1,\"b\":[1.5,\"x\",null,true]},{\"c\":{\"records\":[1,2,3]}},{}],"
        + "\"n\":12345678901,\"big\":123456789012345678901234567890,\"s\":\"t\"}";
    JsonShape.Decoded d = JsonShape.decode(b(body), 1000, 10);
    assertEquals(Json.decodeValue(b(body)), d.value());
    assertEquals(3, d.records());
    assertFalse(d.tooManyRecords());
    assertEquals(Json.decodeValue(b("[1,{\"a\":[]}]")), JsonShape.decode(b("[1,{\"a\":[]}]"), 100));
    assertEquals("x", JsonShape.decode(b("\"x\""), 1));
  }

  @Test
  void recordsOnlyCountAtTheTopLevelRecordsArray() {
    assertEquals(0, JsonShape.decode(b("{\"x\":{\"records\":[1,2]}}"), 100, 10).records());
    assertEquals(0, JsonShape.decode(b("{\"records\":{\"a\":[1,2]}}"), 100, 10).records());
    assertEquals(0, JsonShape.decode(b("[{\"records\":[1,2]}]"), 100, 10).records());
    assertEquals(2, JsonShape.decode(b("{\"records\":[[1,2,3],[4]],\"after\":[5,6,7]}"), 100, 10).records());
  }

  @Test
  void moreValuesThanTheLimit_is413NamingIt_evenInAMalformedBody() {
    HttpFailure f = assertThrows(HttpFailure.class, () -> JsonShape.decode(b("[" + "{},".repeat(20) + "{}]"), 10));
    assertEquals(413, f.status());
    assertTrue(f.getMessage().contains("http.limits.jsonValues"), f.getMessage());
    assertThrows(HttpFailure.class, () -> JsonShape.decode(b("[" + "1,".repeat(20) + "oops"), 10));
  }

  @Test
  void moreRecordsThanAsked_areCountedToTheEndWithoutTheTree() {
    JsonShape.Decoded d = JsonShape.decode(b("{\"records\":[{\"a\":[1,{}]},{},{},{\"b\":2}],\"x\":1}"), 100, 2);
    assertTrue(d.tooManyRecords());
    assertNull(d.value());
    assertEquals(4, d.records());
  }

  @Test
  void moreRecordsThanAsked_inAMalformedBody_failsAsMalformed_andPastTheValuesLimitAsThat() {
    assertThrows(DecodeException.class, () -> JsonShape.decode(b("{\"records\":[{},{},{},{]}"), 100, 2));
    assertThrows(HttpFailure.class, () -> JsonShape.decode(b("{\"records\":[{},{},{},{},{},{}]}"), 5, 2));
  }

  @Test
  void malformedJson_failsAsJsonDecodeValueDoes() {
    for (String bad : new String[] {"{", "{\"a\":}", "[1,2", "{} {}", "nope", "{\"records\":[1,2]"}) {
      DecodeException expected = assertThrows(DecodeException.class, () -> Json.decodeValue(b(bad)));
      DecodeException got = assertThrows(DecodeException.class, () -> JsonShape.decode(b(bad), 100, 10), bad);
      assertEquals(expected.getMessage(), got.getMessage(), bad);
    }
  }
}
