package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --partitions 2} as users run it, from the built jar in its own JVM: the file is scored in two
 * pieces at once (the job's report says so) and the output is byte for byte the output of
 * {@code --partitions 1}.
 */
@Tag("process")
class CliPartitionsProcessTest {

  @TempDir
  Path dir;
  private final String name = "cli-parts-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void tearDown() throws IOException {
    started.forEach(Process::destroyForcibly);
    try (Stream<Path> out = Files.list(Path.of("data", "out"))) {
      for (Path p : out.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void scoreWithTwoPartitions_writesWhatOnePartitionWrites_inTwoPieces() throws Exception {
    Files.createDirectories(Path.of("data", "out"));
    Path pipeline = pipeline();
    cli("pipeline", pipeline.toString());
    assertEquals(1, score(pipeline, "1"));
    assertEquals(2, score(pipeline, "2"), "the file was read in two pieces");
    Path one = Path.of("data", "out", name + "-p1.csv");
    Path two = Path.of("data", "out", name + "-p2.csv");
    assertEquals(20_001, Files.readAllLines(one).size(), "a header and every row");
    assertEquals(-1, Files.mismatch(one, two), "the outputs differ");
  }

  /** The demo pipeline under this test's name, any source split however small, its report kept. */
  private Path pipeline() throws IOException {
    JsonObject def = new JsonObject(Files.readString(Path.of("conf/pipelines/churn-demo.json"))).put("name", name)
        .put("partitionMinBytes", 0).put("report", name + "-report.json");
    def.getJsonObject("preprocessing").put("path", name + ".preprocessor.json");
    def.getJsonObject("model").put("path", name + ".model.json");
    def.getJsonObject("output").put("path", name + "-predictions.csv");
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, def.encodePrettily());
    return file;
  }

  /**
   * Scores churn-20000.csv into NAME-pPARTITIONS.csv with {@code --partitions partitions}; the pieces it was
   * read in, from the score job's report.
   */
  private int score(Path pipeline, String partitions) throws Exception {
    Path report = Path.of("data", "out", name + "-report.score.json");
    Files.deleteIfExists(report);
    cli("score", pipeline.toString(), "churn-20000.csv", name + "-p" + partitions + ".csv", "--partitions", partitions);
    return new JsonObject(Files.readString(report)).getJsonObject("scoring").getInteger("partitions");
  }

  /** Runs {@code Cli args} in its own JVM; fails unless it succeeds quietly. */
  private void cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", jar(), Cli.class.getName()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("cli-" + started.size() + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the job did not end: " + String.join(" ", args));
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("succeeded"), out);
    assertFalse(out.contains("has been blocked"), out);
  }

  private static String jar() {
    return System.getProperty("busflow.jar", "target/busflow.jar");
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
