package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.pipeline.protocol.ActorStep;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Actor steps in a pipeline file: read in every mode, their keys checked and named by path like other steps. */
class ActorStepDefinitionTest {

  static JsonObject actor(JsonObject body) {
    return new JsonObject().put("actor", body);
  }

  static JsonObject actor(String address) {
    return actor(new JsonObject().put("address", address));
  }

  /** The churn pipeline with {@code first} before its own steps. */
  private static JsonObject withFirst(JsonObject... first) {
    JsonObject p = JobContract.churnPipeline();
    JsonArray steps = new JsonArray();
    for (JsonObject f : first) {
      steps.add(f);
    }
    p.getJsonObject("preprocessing").getJsonArray("steps").forEach(steps::add);
    p.getJsonObject("preprocessing").put("steps", steps);
    return p;
  }

  private static PipelineDefinition read(JsonObject json) {
    return PipelineDefinition.read(json, "loans", "loans");
  }

  private static ConfigException refused(JsonObject json) {
    return assertThrows(ConfigException.class, () -> read(json));
  }

  @Test
  void leadingActorSteps_areReadInOrder_andLeftOutOfTheSpecTheStepsAfterThemMake() {
    PipelineDefinition d = read(withFirst(actor("acme.enrich"), actor("acme.geo")));
    assertEquals(List.of(new ActorStep(0, "acme.enrich"), new ActorStep(1, "acme.geo")), d.actorSteps());
    assertEquals(3, ((List<?>) d.preprocessing().get("steps")).size(), "impute, scale, onehot");
    assertEquals(List.of(), read(JobContract.churnPipeline()).actorSteps());
  }

  @Test
  void actorSteps_areReadInScoreModeToo() {
    assertEquals(List.of(new ActorStep(0, "acme.enrich")),
        read(withFirst(actor("acme.enrich")).put("mode", "score")).actorSteps());
  }

  @Test
  void typoInAnActorStep_failsNamingItsPath() {
    ConfigException e = refused(withFirst(actor(new JsonObject().put("adress", "acme.enrich"))));
    assertEquals("loans.preprocessing.steps[0].actor.address", e.path(), "the required key is named first");
    e = refused(withFirst(actor(new JsonObject().put("address", "acme.enrich").put("timeout", 3))));
    assertEquals("loans.preprocessing.steps[0].actor.timeout", e.path());
    assertEquals("loans.preprocessing.steps[0]",
        refused(withFirst(actor("acme.enrich").put("impute", new JsonObject()))).path());
    assertEquals("loans.preprocessing.steps[0].actor", refused(withFirst(new JsonObject().put("actor", "acme"))).path());
  }

  @Test
  void emptyBlankOrReservedAddress_isRefusedWithTheRemedy() {
    assertEquals("loans.preprocessing.steps[0].actor.address", refused(withFirst(actor(""))).path());
    assertTrue(refused(withFirst(actor("acme enrich"))).getMessage().contains("no spaces"));
    ConfigException e = refused(withFirst(actor("busflow.model")));
    assertEquals("loans.preprocessing.steps[0].actor.address", e.path());
    assertTrue(e.getMessage().contains("busflow's own namespace") && e.getMessage().contains("acme.enrich"),
        e.getMessage());
  }

  @Test
  void anActorStepAfterBusflowsOwnSteps_isRefusedNamingItsPath() {
    JsonObject p = JobContract.churnPipeline();
    p.getJsonObject("preprocessing").getJsonArray("steps").add(actor("acme.enrich"));
    ConfigException e = refused(p);
    assertEquals("loans.preprocessing.steps[3].actor", e.path());
    assertTrue(e.getMessage().contains("move it up"), e.getMessage());
  }

  @Test
  void anErrorInAStepAfterActorSteps_namesItsPlaceInTheFile() {
    JsonObject p = withFirst(actor("acme.enrich"), actor("acme.geo"));
    p.getJsonObject("preprocessing").getJsonArray("steps").getJsonObject(2).getJsonObject("impute")
        .put("stratgy", "median");
    assertEquals("loans.preprocessing.steps[2].impute.stratgy", refused(p).path());
  }
}
