package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key of a pipeline file, at every depth, is checked and named by its path. */
class PipelineDefinitionTest {

  private static JsonObject withStep(JsonObject step) {
    JsonObject p = JobContract.churnPipeline();
    p.getJsonObject("preprocessing").put("steps", new JsonArray().add(step));
    return p;
  }

  private static ConfigException refused(JsonObject json) {
    return assertThrows(ConfigException.class, () -> PipelineDefinition.read(json, "loans", "loans"));
  }

  private static JsonObject impute(JsonObject options) {
    return new JsonObject().put("impute", options.put("columns", new JsonArray().add("age")));
  }

  @Test
  void readMissing_takesUpTo100NonEmptyTexts_andTravelsWithTheReadSpec() {
    JsonObject ok = withStep(impute(new JsonObject().put("strategy", "median")))
        .put("read", new JsonObject().put("missing", new JsonArray().add("NA").add("?")));
    var spec = PipelineDefinition.read(ok, "loans", "loans").read();
    assertEquals(List.of("NA", "?"), spec.missing());
    assertEquals(List.of("NA", "?"), spec.toOptions().missing());
    assertEquals(spec, io.busflow.pipeline.loader.ReadSpec.read(
        io.busflow.config.ConfigReader.root(spec.toJson())), "the loader request keeps them");
    ConfigException empty =
        refused(ok.copy().put("read", new JsonObject().put("missing", new JsonArray().add("NA").add(""))));
    assertEquals("loans.read.missing[1]", empty.path());
    JsonArray many = new JsonArray();
    for (int i = 0; i < 101; i++) {
      many.add("v" + i);
    }
    assertEquals("loans.read.missing", refused(ok.copy().put("read", new JsonObject().put("missing", many))).path());
    assertEquals("loans.read.missing[0]",
        refused(ok.copy().put("read", new JsonObject().put("missing", new JsonArray().add(1)))).path());
  }

  @Test
  void readMaxRecordChars_boundsTheReader_andTravelsWithTheReadSpec_onlyWhenGiven() {
    JsonObject base = withStep(impute(new JsonObject().put("strategy", "median")));
    var unset = PipelineDefinition.read(base, "loans", "loans").read();
    assertEquals(0, unset.maxRecordChars());
    assertEquals(16 * 1024 * 1024, unset.toOptions().maxRecordChars());
    assertTrue(!unset.toJson().containsKey("maxRecordChars"));
    var set = PipelineDefinition.read(base.copy().put("read", new JsonObject().put("maxRecordChars", 4096)
        .put("maxFieldChars", 1000)), "loans", "loans").read();
    assertEquals(4096, set.toOptions().maxRecordChars());
    assertEquals(set, io.busflow.pipeline.loader.ReadSpec.read(io.busflow.config.ConfigReader.root(set.toJson())));
    assertEquals("loans.read.maxRecordChars",
        refused(base.copy().put("read", new JsonObject().put("maxRecordChars", 0))).path());
    assertEquals("loans.read.maxRecordChars",
        refused(base.copy().put("read", new JsonObject().put("maxRecordChars", 200_000_000))).path());
  }

  @Test
  void badRowsAndBatchSizeInTheReadSection_areRefusedPointingToTheTopLevel_notIgnored() {
    JsonObject base = withStep(impute(new JsonObject().put("strategy", "median")));
    ConfigException e = refused(base.copy().put("read", new JsonObject().put("badRows", "skip")));
    assertEquals("loans.read.badRows", e.path());
    assertTrue(e.getMessage().contains("top of the pipeline"), e.getMessage());
    assertEquals("loans.read.batchSize", refused(base.copy().put("read", new JsonObject().put("batchSize", 5))).path());
    var top = PipelineDefinition.read(base.copy().put("badRows", "skip").put("batchSize", 500), "loans", "loans");
    assertEquals(io.busflow.data.io.BadRowPolicy.SKIP, top.read().badRows());
    assertEquals(500, top.read().batchSize());
  }

  @Test
  void typoInAnImputeStep_failsNamingItsPathTheAllowedKeysAndTheLikelyKey() {
    ConfigException e = refused(withStep(impute(new JsonObject().put("stratgy", "median"))));
    assertEquals("loans.preprocessing.steps[0].impute.stratgy", e.path());
    assertTrue(e.getMessage().contains("columns, strategy, fill_value")
        && e.getMessage().contains("did you mean 'strategy'"), e.getMessage());
  }

  @Test
  void typoInAScaleStep_andAnOptionScalingDoesNotSupport_failNamingTheirPaths() {
    JsonObject cols = new JsonObject().put("columns", new JsonArray().add("age"));
    assertEquals("loans.preprocessing.steps[0].scale.methd",
        refused(withStep(new JsonObject().put("scale", cols.copy().put("methd", "minmax")))).path());
    ConfigException e = refused(withStep(new JsonObject().put("scale", cols.copy().put("with_mean", false))));
    assertEquals("loans.preprocessing.steps[0].scale.with_mean", e.path());
    assertTrue(e.getMessage().contains("columns, method"), e.getMessage());
  }

  @Test
  void badValuesInsideSteps_failNamingTheirPaths() {
    assertEquals("loans.preprocessing.steps[0].impute.strategy",
        refused(withStep(impute(new JsonObject().put("strategy", "avg")))).path());
    assertEquals("loans.preprocessing.steps[0].impute.fill_value",
        refused(withStep(impute(new JsonObject().put("fill_value", new JsonArray())))).path());
    assertEquals("loans.preprocessing.steps[0].onehot.levels.city", refused(withStep(new JsonObject().put("onehot",
        new JsonObject().put("columns", new JsonArray().add("country"))
            .put("levels", new JsonObject().put("city", new JsonArray().add("x")))))).path());
    assertEquals("loans.preprocessing.steps[0].normalise",
        refused(withStep(new JsonObject().put("normalise", new JsonObject()))).path());
    assertEquals("loans.preprocessing.steps[0].impute.columns",
        refused(withStep(new JsonObject().put("impute", new JsonObject()))).path());
    assertEquals("loans.preprocessing.steps[0].drop",
        refused(withStep(new JsonObject().put("drop", new JsonArray().add(3)))).path());
  }

  @Test
  void stepsAreCheckedInScoreModeToo() {
    JsonObject p = withStep(impute(new JsonObject().put("stratgy", "median"))).put("mode", "score");
    p.getJsonObject("output").put("path", "x.csv");
    assertEquals("loans.preprocessing.steps[0].impute.stratgy", refused(p).path());
  }

  @Test
  void partitions_isANumberOrAuto_checkedWithItsPath_andOnlyForJobsThatScore() {
    assertEquals(1, PipelineDefinition.read(JobContract.churnPipeline(), "p", "p").partitions(), "the default");
    assertEquals(4, PipelineDefinition.read(JobContract.churnPipeline().put("partitions", 4), "p", "p").partitions());
    PipelineDefinition auto = PipelineDefinition.read(JobContract.churnPipeline().put("partitions", "auto"), "p", "p");
    assertEquals(PipelineDefinition.AUTO_PARTITIONS, auto.partitions());
    assertEquals(16, auto.partitionsFor(16), "auto: one per core");
    assertEquals(io.busflow.data.io.SplitPlanner.DEFAULT_MIN_BYTES, auto.partitionMinBytes());
    ConfigException word = refused(JobContract.churnPipeline().put("partitions", "many"));
    assertEquals("loans.partitions", word.path());
    assertTrue(word.getMessage().contains("'many'") && word.getMessage().contains("\"auto\""), word.getMessage());
    assertEquals("loans.partitions", refused(JobContract.churnPipeline().put("partitions", 0)).path());
    assertEquals("loans.partitions", refused(JobContract.churnPipeline().put("partitions", 2000)).path());
    assertEquals(2, PipelineDefinition.read(JobContract.churnPipeline().put("mode", "train").put("partitions", 2), "p", "p")
        .partitions(), "training passes read in partitions too");
    assertEquals("loans.partitionMinBytes", refused(JobContract.churnPipeline().put("partitionMinBytes", -1)).path());
    assertEquals("loans.output.prts", refused(JobContract.churnPipeline().put("output",
        new JsonObject().put("path", "x.csv").put("prts", true))).path());
    assertTrue(PipelineDefinition.read(JobContract.churnPipeline().put("output", new JsonObject().put("path", "x.csv")
        .put("parts", true)), "p", "p").output().parts());
  }

  @Test
  void reportFile_isNamedPerModeAndOutcome() {
    PipelineDefinition train = PipelineDefinition.read(JobContract.churnPipeline(), "p", "p");
    assertEquals("churn-report.json", train.reportFile(false));
    assertEquals("churn-report.failed.json", train.reportFile(true));
    JsonObject score = JobContract.churnPipeline().put("mode", "score");
    PipelineDefinition s = PipelineDefinition.read(score, "p", "p");
    assertEquals("churn-report.score.json", s.reportFile(false));
    assertEquals("churn-report.score.failed.json", s.reportFile(true));
    assertEquals("out.d/report.score", PipelineDefinition.read(score.put("report", "out.d/report"), "p", "p")
        .reportFile(false));
    assertNull(PipelineDefinition.read(score.copy().put("report", null), "p", "p").reportFile(false));
  }
}
