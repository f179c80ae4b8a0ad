package io.busflow.stage.onnx;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.model.Model;
import io.busflow.stage.Artifact;
import io.busflow.stage.ModelTypes;
import io.busflow.data.transform.SpecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What a mismatched mapping says: the model file, the input or output, and what was expected. */
class OnnxErrorsTest {

  private static Model load(String model, Map<String, Object> params) {
    OnnxFixtures.Case c = OnnxFixtures.get(model);
    Artifact a = c.artifact();
    Map<String, Object> state = new LinkedHashMap<>(a.state());
    state.put("params", params);
    return ModelTypes.load(new Artifact(a.type(), a.mediaType(), state, a.file(), a.bytes()));
  }

  private static void assertMessage(Supplier<?> load, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load::get);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void tooFewFeatures_namesTheInputAndItsShape() {
    assertMessage(() -> load("breast_cancer_gb", Map.of("features", List.of("a", "b"))),
        "breast_cancer_gb.onnx", "input 'input'", "[N, 30]", "[N, 2]");
  }

  @Test
  void anInputOfAnotherType_namesItsTypeAndShape_notOnnxRuntimesObject() {
    Artifact a = new OnnxFixtures.Case("int64_input", "iris", Map.of("features", List.of("a", "b", "c")), null)
        .artifact();
    assertMessage(() -> ModelTypes.load(a), "int64_input.onnx", "input 'input' is int64 [N, 3]; busflow feeds float or "
        + "double tensors");
  }

  @Test
  void tensorMode_withoutFeatures_failsNamingTheKey() {
    SpecException e = assertThrows(SpecException.class, () -> load("iris_linear", Map.of()));
    assertTrue(e.path().equals("model.params.features"), e.getMessage());
  }

  @Test
  void columnsMode_namesTheMissingInput() {
    List<String> features = new java.util.ArrayList<>(OnnxFixtures.get("wine_mlp").features());
    features.set(0, "alcohol_pct");
    assertMessage(() -> load("wine_mlp", Map.of("input", "columns", "features", features)),
        "wine_mlp.onnx", "no input for feature 'alcohol_pct'");
    assertMessage(() -> load("wine_mlp", Map.of("input", "columns", "features", features.subList(1, features.size()))),
        "inputs [alcohol] are not fed");
  }

  @Test
  void unknownOutput_namesItAndListsTheModelsOutputs() {
    Map<String, Object> params = new LinkedHashMap<>(OnnxFixtures.get("iris_linear").params());
    params.put("label_output", "class");
    assertMessage(() -> load("iris_linear", params), "iris_linear.onnx", "no output 'class'", "label");
  }

  @Test
  void wrongClassCount_namesTheOutput() {
    Map<String, Object> params = new LinkedHashMap<>(OnnxFixtures.get("breast_cancer_gb").params());
    params.put("classes", List.of("a", "b", "c"));
    assertMessage(() -> load("breast_cancer_gb", params), "output 'probabilities' gives 2", "3 classes");
  }

  @Test
  void batchWithoutAFeature_namesIt() {
    OnnxFixtures.Case c = OnnxFixtures.get("iris_linear");
    Model m = ModelTypes.load(c.artifact());
    Batch rows = c.rows().drop(Set.of("petal_width_(cm)"));
    assertMessage(() -> m.predict(rows, "id"), "iris_linear.onnx", "feature 'petal_width_(cm)' is not in the batch");
  }

  @Test
  void sameModelContent_sharesOneSession() throws Exception {
    byte[] bytes = OnnxFixtures.get("iris_linear").artifact().bytes();
    String sha = Artifact.sha256(bytes);
    assertSame(OnnxSessions.of(sha, bytes), OnnxSessions.of(sha, bytes.clone()));
  }
}
