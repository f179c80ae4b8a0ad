package io.busflow.stage;

import io.busflow.data.transform.SpecException;
import io.busflow.data.model.Model;
import java.util.Map;

/**
 * A kind of model ({@code logistic}, {@code linear}, {@code ridge}, {@code onnx}, or a user's), registered in
 * {@code META-INF/services/io.busflow.stage.ModelType} and found by {@link ModelTypes}. Implementations are
 * stateless and thread-safe, and have a public no-argument constructor.
 */
public interface ModelType {

  /** The name a pipeline file gives as {@code model.type}; also the {@code "type"} of the model's state. */
  String name();

  /**
   * How this type's fitted models are stored: {@link Artifact#JSON} (the state is the whole model, the
   * default) or the media type of a file whose bytes are the model (the state then names the file).
   */
  default String mediaType() {
    return Artifact.JSON;
  }

  /**
   * Parses and validates the {@code params} of a spec (a JSON-shaped map; empty when absent). Fails with a
   * {@link SpecException} naming the key's path under {@code path} (for example
   * {@code model.params.max_itr: unknown key; …}).
   */
  Estimator parse(Map<String, Object> params, String path);

  /** The fitted model stored as {@code artifact}; fails naming what is wrong with it. Blocking. */
  Model load(Artifact artifact);
}
