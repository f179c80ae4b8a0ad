package io.busflow.pipeline.protocol;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowChunks;
import io.busflow.data.model.Model;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.stage.Artifact;
import io.busflow.stage.Estimator;
import io.busflow.stage.ModelTypes;
import io.busflow.data.transform.SpecException;
import io.vertx.core.json.JsonObject;

/**
 * Which model to fit or load and how, as a pipeline file or a fit request states it:
 * {@code {"type":…,"params":{…}}}, the type one of the registered {@link io.busflow.stage.ModelType}s
 * ({@code logistic}, {@code linear}, {@code ridge}, {@code onnx}, …), which parses and validates its params.
 *
 * @param estimator the parsed spec
 * @param mediaType how the type stores fitted models ({@link Artifact#JSON}, or a file's media type)
 */
public record ModelSpec(Estimator estimator, String mediaType) {

  /** Reads {@code type} and {@code params} from {@code r}; errors name the key's path. */
  public static ModelSpec read(ConfigReader r) {
    String type = r.requiredString("type");
    JsonObject params = r.rawObject("params");
    try {
      var t = ModelTypes.get(type, r.path("type"));
      return new ModelSpec(t.parse(JsonShapes.toMap(params), r.path("params")), t.mediaType());
    } catch (SpecException e) {
      throw new ConfigException(e.path(), e.problem());
    }
  }

  /** {@link #read} for a model busflow fits; fails at {@code type} for one trained elsewhere. */
  public static ModelSpec readFittable(ConfigReader r) {
    ModelSpec spec = read(r);
    if (!spec.estimator.fits()) {
      throw new ConfigException(r.path("type"), "is '" + spec.type() + "': " + spec.type()
          + " models are trained elsewhere; use mode score");
    }
    return spec;
  }

  /** Whether the model predicts classes. */
  public boolean classifier() {
    return estimator.classifier();
  }

  /** The type's name. */
  public String type() {
    return estimator.type();
  }

  /** Whether fitted models of this type are their JSON state (else a file that the state names). */
  public boolean storedAsJson() {
    return Artifact.JSON.equals(mediaType);
  }

  /** Fits on a whole feature batch and its target column; blocking, CPU-heavy. */
  public Model fit(Batch features, Column target) {
    return estimator.fit(features, target);
  }

  /** Fits on feature rows held in place and their target column ({@link Estimator#fit(RowChunks, Column)}). */
  public Model fit(RowChunks features, Column target) {
    return estimator.fit(features, target);
  }

  /**
   * The state of a model stored in the file {@code path} (for a type not {@link #storedAsJson()}):
   * {@code {"type":…,"file":path,"params":{…}}}, which a model stage loads by reading the file.
   */
  public JsonObject fileState(String path) {
    return new JsonObject().put("type", type()).put(Artifact.FILE, path).put("params", toJson().getValue("params"));
  }

  /** The JSON form that {@link #read} accepts. */
  public JsonObject toJson() {
    return new JsonObject().put("type", type()).put("params", JsonShapes.toJson(estimator.params()));
  }
}
