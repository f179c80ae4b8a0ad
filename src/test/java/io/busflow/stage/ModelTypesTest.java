package io.busflow.stage;

import io.busflow.data.transform.SpecException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.model.Model;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model types registered through ServiceLoader: parsing with paths, fitting, and loading by type. */
class ModelTypesTest {

  @Test
  void registeredTypes_areFoundThroughServiceLoader() {
    assertTrue(ModelTypes.names().containsAll(Set.of("logistic", "linear", "ridge", "onnx")), ModelTypes.names().toString());
  }

  @Test
  void unknownParam_failsNamingItsPath() {
    SpecException e = assertThrows(SpecException.class,
        () -> ModelTypes.get("logistic", "model.type").parse(Map.of("max_itr", 5), "model.params"));
    assertEquals("model.params.max_itr", e.path());
    assertTrue(e.getMessage().contains("max_iter"), e.getMessage());
    e = assertThrows(SpecException.class, () -> ModelTypes.get("ridge", "model.type").parse(Map.of("alpha", -1), "m.params"));
    assertEquals("m.params.alpha", e.path());
  }

  @Test
  void unknownType_failsListingTheKnownOnes() {
    SpecException e = assertThrows(SpecException.class, () -> ModelTypes.get("forest", "model.type"));
    assertEquals("model.type", e.path());
    assertTrue(e.getMessage().contains("'forest'") && e.getMessage().contains("onnx"), e.getMessage());
  }

  @Test
  void ridge_isNamedRidge_andLoadsBackByItsType() {
    Batch x = new Batch(0, 0, 4, List.of(new NumericColumn("a", new double[] {1, 2, 3, 4})));
    NumericColumn y = new NumericColumn("y", new double[] {2, 4.1, 5.9, 8.2});
    Estimator ridge = ModelTypes.get("ridge", "t").parse(Map.of("alpha", 0.5), "p");
    Model m = ridge.fit(x, y);
    assertTrue(m.version().startsWith("ridge-"), m.version());
    assertEquals("ridge", m.toState().get("type"));
    Model back = ModelTypes.fromState(m.toState());
    assertEquals(m.version(), back.version());
    assertTrue(ModelTypes.get("linear", "t").parse(Map.of(), "p").fit(x, y).version().startsWith("linear-"));
    assertEquals(Map.of("alpha", 0.5), ridge.params());
  }

  @Test
  void onnx_cannotBeFitted_andSaysSo() {
    Estimator onnx = ModelTypes.get("onnx", "t").parse(Map.of("features", List.of("a")), "model.params");
    assertFalse(onnx.fits());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> onnx.fit(new Batch(0, 0, 0, List.of()), new NumericColumn("y", new double[0])));
    assertEquals("onnx models are trained elsewhere; use mode score", e.getMessage());
  }
}
