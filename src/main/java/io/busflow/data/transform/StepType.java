package io.busflow.data.transform;

import java.util.Map;

/**
 * A kind of preprocessing step ({@code impute}, {@code scale}, {@code onehot}, {@code select}, {@code drop},
 * or a user's), registered in {@code META-INF/services/io.busflow.data.transform.StepType} and found by
 * {@link StepTypes}. A step is written in a spec as an object with one key, the type's {@link #name()}:
 * {@code {"impute": {"columns": ["age"]}}}. Implementations are stateless and thread-safe, and have a public
 * no-argument constructor; they import nothing from Vert.x.
 */
public interface StepType {

  /** The step's key in a spec, and the {@code "type"} of its fitted state ({@link Transformer#toState()}). */
  String name();

  /**
   * Parses and validates the value under the step's key. {@code at} is its path ({@code steps[2].impute});
   * a bad or unknown key fails with a {@link SpecException} naming its path below {@code at}
   * ({@link SpecReader} does the usual checks).
   */
  Step parse(Object body, String at);

  /**
   * The fitted step whose {@link Transformer#toState()} is {@code state} (its {@code "type"} is
   * {@link #name()}); fails with an {@link IllegalArgumentException} naming a bad key.
   */
  Transformer load(Map<String, Object> state);
}
