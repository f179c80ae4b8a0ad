package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The launcher refuses a {@code -conf} that names no file before it starts anything. */
class LauncherArgsTest {

  @Test
  void aConfPathThatDoesNotExist_isAProblemNamingIt() {
    Optional<String> p = Launcher.confProblem(new String[] {"io.busflow.BusflowNode", "-conf", "conf/busflw.json"});
    assertTrue(p.isPresent());
    assertTrue(p.get().contains("'conf/busflw.json'") && p.get().contains("does not exist"), p.get());
    assertTrue(Launcher.confProblem(new String[] {"--conf=nope.json"}).isPresent());
    assertTrue(Launcher.confProblem(new String[] {"-conf"}).isPresent());
  }

  @Test
  void anExistingFileOrInlineJson_isFine() {
    assertEquals(Optional.empty(), Launcher.confProblem(new String[] {"-conf", "conf/busflow.json", "-cluster"}));
    assertEquals(Optional.empty(), Launcher.confProblem(new String[] {"-conf", "{\"node\":{}}"}));
    assertEquals(Optional.empty(), Launcher.confProblem(new String[] {}));
  }
}
