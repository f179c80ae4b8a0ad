package io.busflow.pipeline.stage;

import io.busflow.actor.ActorException;
import io.busflow.data.io.DataRoots;
import io.busflow.data.model.Model;
import io.busflow.data.transform.StateMaps;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.stage.Artifact;
import io.busflow.stage.ModelType;
import io.busflow.stage.ModelTypes;
import java.io.IOException;
import java.util.Map;

/**
 * Loads models from their states through the registered {@link ModelType}s. A state that names a file
 * ({@code "file"}) is a model stored as that file: it is read from the node's artifact roots (output roots,
 * then data roots) and, when the state carries the file's {@code sha256}, checked against it, so every node
 * serves the same model. Blocking.
 */
public final class ModelArtifacts {

  /** The bound on a model file read whole: a quarter of the heap, which holds its bytes while the model loads. */
  private static final WholeFiles.Bound MODEL_FILES = new WholeFiles.Bound(Runtime.getRuntime().maxMemory() / 4,
      "a model file may have, a quarter of this JVM's maximum heap", "-Xmx");

  private ModelArtifacts() {}

  /** The model {@code state} describes, its file (if it names one) read from {@code roots}. Blocking. */
  public static Model load(Map<String, Object> state, DataRoots roots) throws IOException {
    if (!Artifact.namesFile(state)) {
      return ModelTypes.fromState(state);
    }
    String file = (String) state.get(Artifact.FILE);
    ModelType type = ModelTypes.get(StateMaps.string(state, "type"), "model state key 'type'");
    byte[] bytes = WholeFiles.readAllBytes(roots.resolveExisting(file), file, MODEL_FILES,
        "point the model's path at the model file");
    Object expected = state.get(Artifact.SHA256);
    if (expected != null && !expected.equals(Artifact.sha256(bytes))) {
      throw ActorException.conflict("model file '" + file + "' on this node is not the one loaded elsewhere (its "
          + "SHA-256 is " + Artifact.sha256(bytes) + ", the model's is " + expected + "); copy the same file to "
          + "every model node");
    }
    return type.load(new Artifact(type.name(), type.mediaType(), state, file, bytes));
  }
}
