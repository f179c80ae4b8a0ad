package io.busflow.arch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged jars (Failsafe, after {@code package}): busflow.jar ships no benchmark class; busflow-bench.jar,
 * beside it, holds the benchmarks and nothing else.
 */
@Tag("process")
class ProductJarProcessTest {

  private static Path productJar() {
    String jar = System.getProperty("busflow.jar");
    assertNotNull(jar, "the build names the packaged jar in the system property busflow.jar");
    return Path.of(jar);
  }

  private static List<String> classes(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
    }
  }

  @Test
  void productJar_shipsNoBenchmarkClass() throws IOException {
    List<String> classes = classes(productJar());
    assertTrue(classes.contains("io/busflow/BusflowNode.class"), "the product jar was read");
    List<String> bench = classes.stream().filter(n -> n.startsWith("io/busflow/bench/")).toList();
    assertTrue(bench.isEmpty(), "benchmark classes in busflow.jar: " + bench);
  }

  @Test
  void benchJar_holdsTheBenchmarksOnly() throws IOException {
    List<String> classes = classes(productJar().resolveSibling("busflow-bench.jar"));
    assertTrue(classes.contains("io/busflow/bench/Bench.class"), "Bench in busflow-bench.jar: " + classes);
    List<String> others = classes.stream().filter(n -> !n.startsWith("io/busflow/bench/")).toList();
    assertTrue(others.isEmpty(), "not benchmarks: " + others);
  }
}
