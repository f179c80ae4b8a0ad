package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The pipeline-file keys of model selection: {@code model.params.class_weight} and {@code crossValidation}. */
class ModelSelectionKeysTest {

  private static JsonObject pipeline(String model, String crossValidation) {
    String cv = crossValidation == null ? "" : ",\"crossValidation\":" + crossValidation;
    return new JsonObject("{\"mode\":\"train\",\"source\":\"a.csv\",\"label\":\"y\",\"model\":" + model + cv + "}");
  }

  private static PipelineDefinition read(JsonObject json) {
    return PipelineDefinition.read(json, "p", "p");
  }

  private static void assertFails(JsonObject json, String... parts) {
    ConfigException e = assertThrows(ConfigException.class, () -> read(json));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
    }
  }

  @Test
  void balancedClassWeight_isReadAndEchoedInTheParams() {
    PipelineDefinition d = read(pipeline("{\"type\":\"logistic\",\"params\":{\"class_weight\":\"balanced\"}}", null));
    assertEquals("balanced", d.model().toJson().getJsonObject("params").getString("class_weight"));
    assertNull(read(pipeline("{\"type\":\"logistic\"}", null)).model().toJson().getJsonObject("params")
        .getString("class_weight"));
    assertNull(read(pipeline("{\"type\":\"logistic\"}", null)).crossValidation());
  }

  @Test
  void classWeight_otherThanBalanced_orOnARegression_failsNamingItsPath() {
    assertFails(pipeline("{\"type\":\"logistic\",\"params\":{\"class_weight\":\"balancd\"}}", null),
        "p.model.params.class_weight", "'balancd'", "balanced");
    assertFails(pipeline("{\"type\":\"ridge\",\"params\":{\"class_weight\":\"balanced\"}}", null),
        "p.model.params.class_weight", "unknown key");
  }

  @Test
  void crossValidation_isRead_andBadValuesFailNamingTheirPath() {
    PipelineDefinition d = read(pipeline("{\"type\":\"logistic\"}", "{\"folds\":3,\"stratified\":true}"));
    assertEquals(new PipelineDefinition.CrossValidation(3, true), d.crossValidation());
    assertEquals(new PipelineDefinition.CrossValidation(5, false),
        read(pipeline("{\"type\":\"linear\"}", "{}")).crossValidation());
    assertFails(pipeline("{\"type\":\"logistic\"}", "{\"folds\":1}"), "p.crossValidation.folds");
    assertFails(pipeline("{\"type\":\"logistic\"}", "{\"seed\":1}"), "p.crossValidation.seed", "unknown key");
    assertFails(pipeline("{\"type\":\"linear\"}", "{\"stratified\":true}"), "p.crossValidation.stratified",
        "regression");
    assertFails(pipeline("{\"type\":\"logistic\"}", "5"), "p.crossValidation", "an object");
  }
}
