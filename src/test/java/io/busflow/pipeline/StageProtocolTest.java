package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.busflow.data.ColumnType;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stages' replies are records whose JSON is what the README documents, read back to the same record. */
class StageProtocolTest {

  private static StageProtocol.PreprocessorLoaded preprocessor() {
    Map<String, Preprocessor.Input> inputs = new LinkedHashMap<>();
    inputs.put("age", new Preprocessor.Input(ColumnType.NUMERIC, true));
    inputs.put("country", new Preprocessor.Input(ColumnType.STRING, false));
    return new StageProtocol.PreprocessorLoaded("pp-1", "node-a", List.of("age", "country=DE"), "id", "churned", inputs);
  }

  private static StageProtocol.ModelLoaded model() {
    return new StageProtocol.ModelLoaded("logistic-1", null, List.of("age", "country=DE"),
        OutputSchema.classifier(List.of(0.0, 1.0)));
  }

  @Test
  void preprocessorFitReply_roundTripsThroughItsJson() {
    var fitted = new StageProtocol.Fitted(preprocessor(), 250, 0, Map.of("type", "preprocessor"), null, null);
    JsonObject json = fitted.toJson();
    assertEquals("pp-1", json.getString("preprocessor"));
    assertEquals("node-a", json.getString("from"));
    assertEquals(new JsonArray().add("age").add("country=DE"), json.getJsonArray("features"));
    assertEquals(new JsonObject().put("type", "string").put("missingAllowed", false),
        json.getJsonObject("inputs").getJsonObject("country"));
    assertEquals(250L, json.getLong("rows"));
    assertEquals(false, json.containsKey("rowsWithoutLabel"), "a preprocessor's fit counts no label");
    assertEquals(fitted, StageProtocol.Fitted.fromJson(StageProtocol.Kind.PREPROCESSOR, new JsonObject(json.encode())));
  }

  @Test
  void modelFitReply_roundTripsThroughItsJson_withCoefficientsAndSolverInfo() {
    List<Object> coefficients = List.of(Map.of("class", "1", "intercept", 0.5));
    var fitted = new StageProtocol.Fitted(model(), 90, 10, Map.of("type", "logistic"), coefficients,
        Map.of("n_iter", 5, "converged", true));
    JsonObject json = fitted.toJson();
    assertEquals("logistic-1", json.getString("model"));
    assertEquals(new JsonArray().add(0.0).add(1.0), json.getJsonArray("classes"));
    assertEquals("p_1", json.getJsonObject("output").getString("positive"));
    assertEquals(10L, json.getLong("rowsWithoutLabel"));
    assertEquals(5, json.getJsonObject("fit").getInteger("n_iter"));
    var back = StageProtocol.Fitted.fromJson(StageProtocol.Kind.MODEL, new JsonObject(json.encode()));
    var loaded = assertInstanceOf(StageProtocol.ModelLoaded.class, back.loaded());
    assertEquals(model().output(), loaded.output());
    assertEquals(90, back.rows());
    assertEquals(10, back.rowsWithoutLabel());
    assertEquals(coefficients, back.coefficients());
    assertEquals(Map.of("n_iter", 5, "converged", true), back.fit());
  }

  @Test
  void loadReply_ofAStageThatSaysOnlyItsIdAndFeatures_readsTheRestAsAbsent() {
    var loaded = StageProtocol.Loaded.fromJson(StageProtocol.Kind.PREPROCESSOR, new JsonObject()
        .put("preprocessor", "pp-stub").put("features", new JsonArray().add("age")).put("inputs", new JsonObject()));
    var pre = assertInstanceOf(StageProtocol.PreprocessorLoaded.class, loaded);
    assertEquals(List.of("age"), pre.features());
    assertNull(pre.from());
    assertNull(pre.idColumn());
  }

  @Test
  void fitStarted_andSavedAndDescribed_nameTheIdByTheStageKind() {
    assertEquals(new StageProtocol.FitStarted("busflow.model.fit.1", 1, true),
        StageProtocol.FitStarted.fromJson(new StageProtocol.FitStarted("busflow.model.fit.1", 1, true).toJson()));
    assertEquals("busflow.model.fit", StageProtocol.Kind.MODEL.fitPrefix());
    assertEquals("busflow.preprocess.fit", StageProtocol.Kind.PREPROCESSOR.fitPrefix());
    assertEquals("pp-1", new StageProtocol.Saved(StageProtocol.Kind.PREPROCESSOR, "pp-1", "x.json").toJson()
        .getString("preprocessor"));
    assertEquals("logistic-1", new StageProtocol.Described(StageProtocol.Kind.MODEL, "logistic-1", Map.of(), null)
        .toJson().getString("model"));
  }

  @Test
  void loadRequest_carriesTheStateOrThePath() {
    assertEquals(new JsonObject().put("op", "load").put("state", new JsonObject().put("type", "linear")),
        StageProtocol.Load.of(Map.of("type", "linear")).toJson());
    assertEquals(new JsonObject().put("op", "load").put("path", "m.json"), new StageProtocol.Load(null, "m.json").toJson());
  }
}
