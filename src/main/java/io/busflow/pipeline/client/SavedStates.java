package io.busflow.pipeline.client;

import io.busflow.actor.ActorException;
import io.busflow.config.JsonProblems;
import io.busflow.data.io.DataRoots;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A pipeline's saved preprocessor and model, as a score job and online predictions load them into the stages:
 * read from the artifact roots, a load request of each, and the check that the two fit each other. Blocking file
 * access in the readers: call them from a worker thread.
 */
public final class SavedStates {

  private SavedStates() {}

  /** The load request of a saved {@code state}. */
  public static JsonObject loadRequest(JsonObject state) {
    return StageProtocol.Load.of(JsonShapes.toMap(state)).toJson();
  }

  /** Reads the reply to a load by a {@code kind} stage. */
  public static Function<JsonObject, StageProtocol.Loaded> loadReply(StageProtocol.Kind kind) {
    return reply -> StageProtocol.Loaded.fromJson(kind, reply);
  }

  /**
   * The state of the model {@code def} names: for a type stored as a file (such as onnx), a reference that the
   * model stage resolves in its own roots; else the saved JSON state.
   */
  public static JsonObject modelState(DataRoots roots, PipelineDefinition def, WholeFiles.Bound bound)
      throws java.io.IOException {
    if (def.model() != null && !def.model().storedAsJson()) {
      roots.resolveExisting(def.modelPath());
      return def.model().fileState(def.modelPath());
    }
    return readState(roots, def.name(), def.modelPath(), "model.path", bound);
  }

  /** A preprocessor that selects the features of the loaded {@code model} (reply to a load), untouched. */
  public static JsonObject passthrough(PipelineDefinition def, StageProtocol.Loaded model) {
    return JsonShapes.toJson(new Preprocessor(def.id(), def.label(), List.of(), model.features()).toState());
  }

  /**
   * The saved state {@code path} (key {@code key} of pipeline {@code pipeline}) names; BAD_REQUEST if not JSON,
   * TOO_LARGE, before it is read, when the file is larger than {@code bound}.
   */
  public static JsonObject readState(DataRoots roots, String pipeline, String path, String key, WholeFiles.Bound bound)
      throws java.io.IOException {
    Path file = roots.resolveExisting(path);
    try {
      return new JsonObject(WholeFiles.readString(file, path, bound, "pipeline '" + pipeline + "': point " + key
          + " at the file its train job saved"));
    } catch (io.vertx.core.json.DecodeException e) {
      throw ActorException.badRequest("pipeline '" + pipeline + "': " + key + " '" + path
          + "' is not JSON (" + JsonProblems.describe(e) + "); point it at a file that a training job saved");
    }
  }

  /**
   * Null when the preprocessor of {@code def} makes exactly the features its model expects, else a message
   * listing the difference and the remedy.
   */
  public static String featureMismatch(PipelineDefinition def, List<?> made, List<?> expected) {
    List<Object> missing = new ArrayList<>(expected);
    missing.removeAll(made);
    List<Object> unexpected = new ArrayList<>(made);
    unexpected.removeAll(expected);
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return null;
    }
    return "pipeline '" + def.name() + "': the model '" + def.modelPath() + "' does not fit the preprocessor '"
        + def.preprocessorPath() + "': features the model expects but the preprocessor does not make: " + missing
        + "; features the preprocessor makes that the model does not know: " + unexpected + "; use the "
        + "preprocessor the model was trained after";
  }
}
