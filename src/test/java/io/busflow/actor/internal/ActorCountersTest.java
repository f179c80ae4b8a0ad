package io.busflow.actor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActorCountersTest {

  @Test
  void throughput_averagesTheLastWholeSeconds_andForgetsOlderOnes() {
    ActorCounters c = new ActorCounters("a", "test.a", "EVENT_LOOP", "i1", () -> 0);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 30; i++) {
      c.processed(1_000);
    }
    assertEquals(0.0, c.throughput(now - 1_000), "the current second does not count yet");
    assertEquals(3.0, c.throughput(now + 2_000), 1e-9);
    assertEquals(0.0, c.throughput(now + (ActorCounters.WINDOW_S + 3) * 1_000L), "older than the window");
  }
}
