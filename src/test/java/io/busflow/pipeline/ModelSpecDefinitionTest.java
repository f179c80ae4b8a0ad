package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A pipeline file's model section, parsed by the model types: paths in errors, onnx in score mode only. */
class ModelSpecDefinitionTest {

  private static JsonObject train(JsonObject model) {
    return new JsonObject().put("source", "x.csv").put("label", "y").put("output", new JsonObject().put("path", "o.csv"))
        .put("model", model);
  }

  private static JsonObject onnx() {
    return new JsonObject().put("type", "onnx").put("path", "m.onnx")
        .put("params", new JsonObject().put("features", new JsonArray().add("a").add("b")));
  }

  @Test
  void misspelledParam_failsNamingItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> PipelineDefinition.read(
        train(new JsonObject().put("type", "logistic").put("params", new JsonObject().put("max_itr", 5))), "p", "p"));
    assertEquals("p.model.params.max_itr", e.path());
  }

  @Test
  void onnxInATrainPipeline_saysItIsTrainedElsewhere() {
    ConfigException e = assertThrows(ConfigException.class, () -> PipelineDefinition.read(train(onnx()), "p", "p"));
    assertEquals("p.model.type", e.path());
    assertTrue(e.getMessage().contains("onnx models are trained elsewhere; use mode score"), e.getMessage());
  }

  @Test
  void onnxScorePipeline_needsNoPreprocessing() {
    PipelineDefinition d = PipelineDefinition.read(new JsonObject().put("mode", "score").put("source", "x.csv")
        .put("model", onnx()).put("output", new JsonObject().put("path", "o.csv")), "p", "p");
    assertEquals("onnx", d.model().type());
    assertTrue(!d.model().storedAsJson());
    assertNull(d.preprocessorPath());
    assertEquals("m.onnx", d.model().fileState(d.modelPath()).getString("file"));
  }
}
