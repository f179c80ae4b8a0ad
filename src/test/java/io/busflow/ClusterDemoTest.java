package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh cluster-demo} as users run it (the long profile: three JVMs take a while): it exits 0,
 * the demo ran across the preprocessor and model nodes, and both were stopped by SIGTERM.
 */
@Tag("long")
class ClusterDemoTest {

  @Test
  @org.junit.jupiter.api.Timeout(value = 300, unit = TimeUnit.SECONDS)
  void clusterDemo_runsThePipelineAcrossThreeJvms_andStopsThem(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("demo.txt");
    Process p = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
        "cluster-demo").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean ended = p.waitFor(280, TimeUnit.SECONDS);
    if (!ended) {
      p.destroy(); // SIGTERM: its shutdown stops the nodes it started
      p.waitFor(60, TimeUnit.SECONDS);
    }
    String text = Files.readString(out);
    assertTrue(ended, "the demo did not end:\n" + text);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("churn-demo (train-then-score) succeeded"), text);
    assertTrue(text.contains("busflow.preprocess: preprocessor ") && text.contains("busflow.model: model "), text);
    assertEquals(2, text.split("stopped by SIGTERM", -1).length - 1, text);
  }
}
