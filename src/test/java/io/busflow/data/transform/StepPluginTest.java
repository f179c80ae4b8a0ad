package io.busflow.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.fixtures.Fixtures;
import io.busflow.testkit.MaxAbsStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Preprocessing steps are plugins: the built-in ones and a user's ({@link MaxAbsStep}, registered by the
 * tests' META-INF/services) are found the same way, parsed with their paths, planned into passes, fitted,
 * saved and loaded back.
 */
class StepPluginTest {

  private static Batch data() {
    return Batch.of(new NumericColumn("x", new double[] {1, Double.NaN, -3, Double.NaN}),
        new NumericColumn("z", new double[] {0.5, -2, 1, 0}));
  }

  private static Map<String, Object> spec(Map<?, ?>... steps) {
    return Map.of("steps", List.of((Object[]) steps));
  }

  @Test
  void builtInAndUserStepTypes_areFoundThroughServiceLoader() {
    assertTrue(StepTypes.names().containsAll(List.of("drop", "impute", "maxabs", "onehot", "scale", "select")),
        StepTypes.names().toString());
  }

  @Test
  void userStep_readingAnImputedColumn_isFittedInASecondPassOnTheImputedData() {
    Map<String, Object> spec = spec(Map.of("impute", Map.of("strategy", "mean", "columns", List.of("x"))),
        Map.of("maxabs", Map.of("columns", List.of("x", "z"))));
    assertEquals(2, Preprocessor.passes(spec));
    IllegalArgumentException onePass = assertThrows(IllegalArgumentException.class, () -> Preprocessor.fitter(spec));
    assertTrue(onePass.getMessage().contains("steps[1] (maxabs) reads 'x' changed, removed or made by steps[0] (impute)"),
        onePass.getMessage());
    Preprocessor p = Preprocessor.fit(spec, Fixtures.batches(data(), 3));
    // x imputed with its mean (-1) → {1, -1, -3, -1}, then divided by 3; z divided by 2
    assertArrayEquals(new double[] {1 / 3.0, -1 / 3.0, -1, -1 / 3.0}, p.transform(data()).numeric("x").values(), 1e-15);
    assertArrayEquals(new double[] {0.25, -1, 0.5, 0}, p.transform(data()).numeric("z").values(), 1e-15);

    Preprocessor loaded = Preprocessor.fromState(p.toState());
    assertEquals(p.toState(), loaded.toState());
    assertArrayEquals(p.transform(data()).numeric("x").values(), loaded.transform(data()).numeric("x").values());
    assertEquals(Map.of("x", new Preprocessor.Input(ColumnType.NUMERIC, true),
        "z", new Preprocessor.Input(ColumnType.NUMERIC, false)), loaded.inputs());
  }

  @Test
  void userStep_onColumnsNoEarlierStepTouches_sharesTheFirstPass() {
    Map<String, Object> spec = spec(Map.of("impute", Map.of("strategy", "mean", "columns", List.of("x"))),
        Map.of("maxabs", Map.of("columns", List.of("z"))));
    assertEquals(1, Preprocessor.passes(spec));
    Fitter<Preprocessor> f = Preprocessor.fitter(spec);
    Fixtures.batches(data(), 2).get().forEachRemaining(f::accept);
    assertArrayEquals(new double[] {0.25, -1, 0.5, 0}, f.finish().transform(data()).numeric("z").values(), 1e-15);
  }

  @Test
  void userStep_keysAndNames_areCheckedWithTheirPaths() {
    SpecException key = assertThrows(SpecException.class,
        () -> Preprocessor.passes(spec(Map.of("maxabs", Map.of("colums", List.of("x"))))));
    assertEquals("steps[0].maxabs.colums", key.path());
    assertTrue(key.problem().contains("did you mean 'columns'"), key.problem());
    SpecException type = assertThrows(SpecException.class,
        () -> Preprocessor.passes(spec(Map.of("maxab", Map.of("columns", List.of("x"))))));
    assertEquals("steps[0].maxab", type.path());
    assertTrue(type.problem().contains("maxabs") && type.problem().contains("META-INF/services"), type.problem());
  }

  @Test
  void stateOfAnUnknownStepType_failsNamingTheStepAndTheKnownTypes() {
    Map<String, Object> state = Map.of("type", "preprocessor", "steps", List.of(Map.of("type", "winsorize")),
        "features", List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessor.fromState(state));
    assertTrue(e.getMessage().startsWith("steps[0]: state key 'type' is 'winsorize'")
        && e.getMessage().contains("maxabs"), e.getMessage());
  }
}
