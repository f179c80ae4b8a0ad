package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.busflow.testkit.LogCapture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in this JVM: help and usage errors per command, the progress line, a quiet start. */
class CliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyCommand_printsItsUsage_forHelp() {
    for (String cmd : List.of("demo", "pipeline", "score", "tutorial", "cluster-demo")) {
      out.reset();
      assertEquals(0, run(cmd, "--help"), cmd);
      assertTrue(out().startsWith("Usage: ./run.sh " + cmd), cmd + ": " + out());
    }
    out.reset();
    assertEquals(0, run("pipeline", "--help"));
    assertTrue(out().contains("--port=PORT") && out().contains("--http"), out());
    assertFalse(err().contains("does not exist"), err());
  }

  @Test
  void aMissingArgumentOrUnknownOption_isAUsageError_withStatus2() {
    assertEquals(2, run("pipeline"));
    assertTrue(err().contains("Missing required parameter: 'FILE'"), err());
    assertEquals(2, run("pipeline", "conf/pipelines/churn-demo.json", "--colour", "red"));
    assertTrue(err().contains("Unknown option"), err());
    assertEquals(2, run("nonsense"));
  }

  @Test
  void aMissingPipelineFile_failsWithStatus1_namingIt() {
    assertEquals(1, run("pipeline", "no-such.json"));
    assertTrue(err().contains("pipeline file 'no-such.json' does not exist"), err());
  }

  @Test
  void aPipelineFileThatIsNotOneJsonObject_failsWithStatus1_namingTheFileAndWhere(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"source\": \"iris.csv\",\n");
    assertEquals(1, run("pipeline", broken.toString()));
    assertTrue(err().contains("pipeline file '" + broken + "' is not valid JSON: line 2, column 1: Unexpected "
        + "end-of-input"), err());
    assertFalse(err().contains("Source:"), err());
    Path array = Files.writeString(dir.resolve("array.json"), "[{\"source\": \"iris.csv\"}]");
    assertEquals(1, run("pipeline", array.toString()));
    assertTrue(err().contains("pipeline file '" + array + "' holds a JSON array, not an object"), err());
    Path empty = Files.writeString(dir.resolve("empty.json"), "\n");
    assertEquals(1, run("pipeline", empty.toString()));
    assertTrue(err().contains("pipeline file '" + empty + "' is empty"), err());
  }

  @Test
  void partitionsOption_overridesTheFile_andABadValueIsRefusedNamingTheKey() {
    assertEquals(1, run("score", "conf/pipelines/churn-score.json", "data/churn-new.csv", "data/out/cli-parts.csv",
        "--partitions", "many"));
    assertTrue(err().contains("partitions: is 'many' but must be a number from 1 to 1024 or \"auto\""), err());
  }

  @Test
  void theTutorial_runsWithoutBlockingAnEventLoop() {
    System.setProperty("busflow.maxEventLoopMs", "500");
    try (LogCapture blocked = new LogCapture("io.vertx.core.impl.BlockedThreadChecker", Level.WARN)) {
      assertEquals(0, run("tutorial"), err());
      assertTrue(out().contains("Data loaded from data.csv"), out());
      assertEquals(List.of(), blocked.messages(), "no event loop may be blocked");
    } finally {
      System.clearProperty("busflow.maxEventLoopMs");
    }
  }

  @Test
  void theProgressLine_fitsTheTerminal_atAnyWidth() {
    JsonObject p = new JsonObject().put("rowsDone", 1_234_567L).put("rowsTotal", 9_876_543L)
        .put("rowsPerSecond", 2_345_678L).put("etaSeconds", 12L).put("phase", "fit preprocessing")
        .put("pass", 1).put("passes", 4);
    for (int width : new int[] {20, 40, 60, 80, 120, 200}) {
      String line = JobConsole.bar(p, width);
      assertEquals(width - 1, line.length(), width + ": '" + line + "'");
      assertTrue(line.contains("12%"), line);
    }
    assertTrue(JobConsole.bar(p, 120).contains("(fit preprocessing, pass 1/4)"), JobConsole.bar(p, 120));
    assertEquals(80, JobConsole.width(null));
    assertEquals(80, JobConsole.width("wide"));
    assertEquals(132, JobConsole.width("132"));
  }

  @Test
  void aJobThatSucceeded_endsItsBarAt100Percent() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    JobConsole console = new JobConsole(new PrintStream(screen, true, StandardCharsets.UTF_8), true, 80);
    console.progress(new JsonObject().put("rowsDone", 930L).put("rowsTotal", 1000L).put("phase", "score")
        .put("pass", 4).put("passes", 4));
    console.summary(new JsonObject().put("pipeline", "p").put("mode", "score").put("state", "succeeded")
        .put("rowsDone", 1000L).put("rowsTotal", 1000L));
    String[] redraws = screen.toString(StandardCharsets.UTF_8).split("\r");
    String last = redraws[redraws.length - 1];
    assertTrue(last.contains("100% 1,000/1,000 rows"), last);
    for (String line : last.split("\n")) {
      assertTrue(line.length() < 80, "'" + line + "'");
    }
  }
  @Test
  void aJobThatFailedBeforeReadingItsSource_showsItsErrorWithoutARowCountFromNowhere() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    JobConsole console = new JobConsole(new PrintStream(screen, true, StandardCharsets.UTF_8), false, 200);
    console.summary(new JsonObject().put("pipeline", "p").put("mode", "train-then-score").put("state", "failed")
        .put("error", new JsonObject().put("code", "BAD_REQUEST").put("message", "dup.csv line 1: the header names "
            + "column 'a' twice; rename one of them"))
        .put("training", new JsonObject().put("trainRows", 0L).put("rowsWithoutLabel", 0L)));
    String out = screen.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("error      BAD_REQUEST: dup.csv line 1: the header names column 'a' twice"), out);
    assertFalse(out.contains("training"), out);
  }

  @Test
  void theSummary_namesTheMacroAverages_andShowsCrossValidationAsMeanAndSpread() {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    JobConsole console = new JobConsole(new PrintStream(screen, true, StandardCharsets.UTF_8), false, 200);
    JsonObject metrics = new JsonObject().put("accuracy", 0.75).put("f1_macro", 0.5);
    JsonObject training = new JsonObject().put("trainRows", 800L)
        .put("model", new JsonObject().put("id", "logistic-1").put("fit",
            new JsonObject().put("converged", true).put("n_iter", 1)))
        .put("evaluation", new JsonObject().put("rows", 200L).put("metrics", metrics))
        .put("crossValidation", new JsonObject().put("folds", 5).put("stratified", true)
            .put("mean", new JsonObject().put("accuracy", 0.7).put("f1_macro", 0.55))
            .put("std", new JsonObject().put("accuracy", 0.02).put("f1_macro", 0.03)));
    console.summary(new JsonObject().put("pipeline", "p").put("mode", "train").put("state", "succeeded")
        .put("training", training));
    String out = screen.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("converged in 1 Newton step)"), out);
    assertTrue(out.contains("accuracy 0.7500  f1_macro 0.5000"), out);
    assertTrue(out.contains("cross-val  5 folds (stratified), mean ± std  accuracy 0.7000 ± 0.0200  f1_macro 0.5500 ± "
        + "0.0300"), out);
  }
}
