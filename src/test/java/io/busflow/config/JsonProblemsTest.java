package io.busflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonProblemsTest {

  private static String problemOf(String text) {
    return JsonProblems.describe(assertThrows(DecodeException.class, () -> new JsonObject(text)));
  }

  @Test
  void anUnfinishedObject_isNamedWithItsLineAndColumn_withoutJacksonsSourceBoilerplate() {
    assertEquals("line 2, column 1: Unexpected end-of-input within/between Object entries",
        problemOf("{\"source\": \"iris.csv\",\n"));
  }

  @Test
  void anUnclosedObject_keepsWhereItStarted() {
    String p = problemOf("{\"a\": [1, 2}");
    assertEquals("line 1, column 12: Unexpected close marker '}': expected ']' (for Array starting at [line: 1, "
        + "column: 7])", p);
  }

  @Test
  void aBadToken_isNamedWithItsLineAndColumn() {
    String p = problemOf("{\"a\": tru}");
    assertEquals(true, p.startsWith("line 1, column "), p);
    assertEquals(false, p.contains("Source:") || p.contains("REDACTED"), p);
  }
}
