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

  @Test
  void nanAndInfinity_sayWhatToSendInstead_notHowToConfigureJackson() {
    assertEquals("line 1, column 9: 'NaN' is not a JSON value (JSON has no NaN or infinity; Python's json.dumps "
        + "writes them unless given allow_nan=False): send null for a missing value", problemOf("{\"a\":NaN}"));
    String p = problemOf("{\"a\":-Infinity}");
    assertEquals(true, p.startsWith("line 1, column 15: '-Infinity' is not a JSON value"), p);
  }

  @Test
  void aLimitOfTheParser_isNamedWithItsValue_withoutWhereItIsInJacksonsCode() {
    assertEquals("Document nesting depth (1001) exceeds the maximum allowed (1000)",
        problemOf("{\"a\":" + "[".repeat(1001) + "]".repeat(1001) + "}"));
  }
}
