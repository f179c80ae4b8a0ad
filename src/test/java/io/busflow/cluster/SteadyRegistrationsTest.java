package io.busflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registration updates that change nothing do not restart Vert.x's round robin. */
class SteadyRegistrationsTest {

  private static RegistrationInfo on(String node, long seq) {
    return new RegistrationInfo(node, seq, false);
  }

  @Test
  void anUpdateEqualToTheListVertxRead_isNotPassedOn() {
    SteadyRegistrations steady = new SteadyRegistrations();
    List<RegistrationInfo> all = List.of(on("two", 1), on("two", 2), on("one", 1));
    steady.read("a", all);
    assertFalse(steady.changed("a", List.of(on("one", 1), on("two", 2), on("two", 1))), "same counts, other order");
  }

  @Test
  void anUpdateThatChangesACount_isPassedOn_andThenRemembered() {
    SteadyRegistrations steady = new SteadyRegistrations();
    steady.read("a", List.of(on("two", 1), on("one", 1)));
    assertTrue(steady.changed("a", List.of(on("two", 1), on("two", 2), on("one", 1))));
    assertFalse(steady.changed("a", List.of(on("two", 1), on("two", 2), on("one", 1))));
    assertTrue(steady.changed("b", List.of(on("one", 1))), "an address Vert.x has not read yet");
  }

  @Test
  void anAddressWhoseLastRegistrationWent_isForgotten() {
    SteadyRegistrations steady = new SteadyRegistrations();
    steady.read("a", List.of(on("one", 1)));
    assertTrue(steady.changed("a", List.of()));
    assertEquals(0, steady.size());
    assertTrue(steady.changed("a", List.of()), "an empty update is always passed on");
  }
}
