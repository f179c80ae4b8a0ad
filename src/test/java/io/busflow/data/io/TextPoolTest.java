package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextPoolTest {

  private static String take(TextPool pool, String text) {
    char[] buf = ("|" + text + "|").toCharArray();
    return pool.of(buf, 1, text.length());
  }

  @Test
  void repeatedLevels_getTheStringMadeTheFirstTime() {
    TextPool pool = new TextPool();
    String[] levels = {"FR", "DE", "ES", "IT", "NL", "retail", "premium", "business", "", "0", "1"};
    String[] first = new String[levels.length];
    for (int i = 0; i < levels.length; i++) {
      first[i] = take(pool, levels[i]);
    }
    for (int round = 0; round < 3 * TextPool.WINDOW; round++) {
      int i = round % levels.length;
      String got = take(pool, levels[i]);
      assertEquals(levels[i], got);
      assertSame(first[i], got, levels[i]);
    }
    assertTrue(pool.pooling());
  }

  @Test
  void valuesThatDoNotRepeat_stopThePoolingWithinAWindow_andStayEqual() {
    TextPool pool = new TextPool();
    for (int i = 0; i < TextPool.WINDOW; i++) {
      assertEquals("id-" + i, take(pool, "id-" + i));
    }
    assertFalse(pool.pooling());
    assertNotSame(take(pool, "id-7"), take(pool, "id-7"));
    assertEquals("id-7", take(pool, "id-7"));
  }

  @Test
  void collidingAndLongValues_areStillTheirOwnText() {
    TextPool pool = new TextPool();
    String longer = "x".repeat(TextPool.MAX_CHARS + 1);
    assertNotSame(take(pool, longer), take(pool, longer));
    // "acb" and "aab" share their length and first and last characters, so their slot
    for (int round = 0; round < 3; round++) {
      for (String v : new String[] {"ab", "acb", "aab", "xb", "ab", "", "a", "b"}) {
        assertEquals(v, take(pool, v));
      }
    }
  }
}
