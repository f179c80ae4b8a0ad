package io.busflow.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's store of fitted states is bounded by bytes: least recently used out, too large refused. */
class StateStoreTest {

  @Test
  void statesOverTheByteBudget_evictTheLeastRecentlyUsed_andOneLargerThanTheBudgetIsRefused() {
    Vertx vertx = Vertx.vertx();
    try {
      StateStore store = StateStore.of(vertx, "test");
      String twentyMillion = "x".repeat(20_000_000); // ~40 MB estimated
      store.put("a", Map.of("levels", twentyMillion));
      store.put("b", Map.of("levels", twentyMillion));
      assertNull(store.get("a"), "evicted: a and b together are over the budget");
      assertNotNull(store.get("b"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> store.put("c", Map.of("levels", "y".repeat(40_000_000))));
      assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("budget"), e.getMessage());
      assertNotNull(store.get("b"));
    } finally {
      vertx.close();
    }
  }

  @Test
  void theBoundsComeFromTheStagesOptions_andARefusalNamesTheKey() {
    Vertx vertx = Vertx.vertx();
    try {
      StateStore store = StateStore.of(vertx, "model").limit(StageOptions.read(new JsonObject()
          .put("storeStates", 2).put("storeBytes", 100_000), "actors.model.options"), "actors.model.options");
      store.put("a", Map.of("levels", "a"));
      store.put("b", Map.of("levels", "b"));
      store.put("c", Map.of("levels", "c"));
      assertNull(store.get("a"), "evicted: more than storeStates");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> store.put("d", Map.of("levels", "y".repeat(60_000))));
      assertTrue(e.getMessage().contains("'d' takes about 120") && e.getMessage().contains("100000")
          && e.getMessage().contains("actors.model.options.storeBytes"), e.getMessage());
      assertTrue(store.bytes() < 100_000);
    } finally {
      vertx.close();
    }
  }
}
