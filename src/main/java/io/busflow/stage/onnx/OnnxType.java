package io.busflow.stage.onnx;

import ai.onnxruntime.OrtException;
import io.busflow.data.model.Model;
import io.busflow.stage.Artifact;
import io.busflow.stage.Estimator;
import io.busflow.stage.ModelType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code {"type":"onnx","path":"models/churn.onnx","params":{"features":[…]}}}: a model trained elsewhere and
 * exported to ONNX, scored with ONNX Runtime (CPU). busflow cannot fit it ({@code mode: score} only). The
 * mapping from busflow's columns to the model's inputs and outputs is {@link OnnxParams}; the README's
 * "Serving an ONNX model trained in Python" documents it.
 */
public final class OnnxType implements ModelType {

  static final String NAME = "onnx";
  /** The media type of ONNX model files. */
  public static final String MEDIA_TYPE = "application/onnx";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String mediaType() {
    return MEDIA_TYPE;
  }

  @Override
  public Estimator parse(Map<String, Object> params, String path) {
    return OnnxParams.read(params, path);
  }

  @Override
  public Model load(Artifact artifact) {
    if (artifact.bytes() == null) {
      throw new IllegalArgumentException("an onnx model is a file: its state must name it (key 'file'); got "
          + artifact.state().keySet());
    }
    Object raw = artifact.state().get("params");
    @SuppressWarnings("unchecked")
    Map<String, Object> given = raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    OnnxParams params = OnnxParams.read(given, "model.params");
    String sha256 = Artifact.sha256(artifact.bytes());
    try {
      return new OnnxModel(artifact.file(), sha256, version(sha256, params), params,
          OnnxSessions.of(sha256, artifact.bytes()));
    } catch (OrtException e) {
      throw new IllegalArgumentException("onnx model '" + artifact.file() + "' cannot be loaded by ONNX Runtime: "
          + e.getMessage() + "; check that the file is an ONNX model (opset supported by ONNX Runtime "
          + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + ")", e);
    }
  }

  private static String version(String sha256, OnnxParams params) {
    String h = Artifact.sha256((sha256 + params.params()).getBytes(StandardCharsets.UTF_8));
    return NAME + "-" + h.substring(0, 16);
  }
}
