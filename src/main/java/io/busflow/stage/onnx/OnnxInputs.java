package io.busflow.stage.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How feature columns become the model's inputs: one float tensor [N, F] in feature order ({@code tensor}),
 * or one float input [N, 1] (or [N]) per feature column, named as the column ({@code columns}).
 *
 * @param file     the model file, for messages
 * @param features the feature columns in feeding order
 * @param names    the input names: one ({@code tensor}) or one per feature ({@code columns})
 * @param ranks    each input's rank (1 or 2)
 * @param tensor   whether one [N, F] tensor is fed ({@code tensor} mode)
 */
record OnnxInputs(String file, List<String> features, List<String> names, List<Integer> ranks, boolean tensor) {

  static OnnxInputs of(String file, OnnxParams params, Map<String, NodeInfo> inputs) {
    return params.input().equals("tensor") ? tensor(file, params, inputs) : columns(file, params, inputs);
  }

  private static OnnxInputs tensor(String file, OnnxParams params, Map<String, NodeInfo> inputs) {
    String name = params.inputName();
    if (name == null && inputs.size() != 1) {
      throw new IllegalArgumentException("onnx model '" + file + "' has " + inputs.size() + " inputs "
          + OnnxModel.describe(inputs) + "; name the one that takes the feature tensor (model.params.input_name), "
          + "or use \"input\": \"columns\" for one input per feature column");
    }
    NodeInfo info = name == null ? inputs.values().iterator().next() : inputs.get(name);
    if (info == null) {
      throw new IllegalArgumentException("onnx model '" + file + "' has no input '" + name + "' (model.params."
          + "input_name); its inputs are " + OnnxModel.describe(inputs));
    }
    if (inputs.size() > 1) {
      throw new IllegalArgumentException("onnx model '" + file + "' needs inputs " + OnnxModel.describe(inputs)
          + " but busflow feeds only '" + info.getName() + "' in tensor mode; use \"input\": \"columns\"");
    }
    int rank = OnnxModel.floatRank(file, "input", info);
    long width = ((TensorInfo) info.getInfo()).getShape()[rank - 1];
    if (rank != 2 || width > 0 && width != params.features().size()) {
      throw new IllegalArgumentException("onnx model '" + file + "': input '" + info.getName() + "' has shape "
          + OnnxModel.shape(((TensorInfo) info.getInfo()).getShape()) + " but busflow feeds [N, "
          + params.features().size() + "] (one column per name in model.params.features); list the model's "
          + "features in its input order");
    }
    return new OnnxInputs(file, params.features(), List.of(info.getName()), List.of(2), true);
  }

  private static OnnxInputs columns(String file, OnnxParams params, Map<String, NodeInfo> inputs) {
    List<String> features = params.features() != null ? params.features() : List.copyOf(inputs.keySet());
    List<Integer> ranks = new ArrayList<>();
    for (String f : features) {
      NodeInfo info = inputs.get(f);
      if (info == null) {
        throw new IllegalArgumentException("onnx model '" + file + "' has no input for feature '" + f
            + "'; its inputs are " + OnnxModel.describe(inputs) + "; with \"input\": \"columns\" each feature "
            + "column feeds the input of the same name");
      }
      ranks.add(OnnxModel.floatRank(file, "input", info));
    }
    List<String> missing = new ArrayList<>(inputs.keySet());
    missing.removeAll(features);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("onnx model '" + file + "': inputs " + missing + " are not fed: "
          + "model.params.features names no such column; add them to the features");
    }
    return new OnnxInputs(file, features, features, List.copyOf(ranks), false);
  }

  /** The input tensors for {@code n} rows of the feature columns {@code cols}; the caller closes them. */
  Map<String, OnnxTensor> tensors(double[][] cols, int n) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> out = new LinkedHashMap<>();
    try {
      if (tensor) {
        out.put(names.get(0), OnnxTensor.createTensor(env, rowMajor(cols, n), new long[] {n, cols.length}));
        return out;
      }
      for (int j = 0; j < names.size(); j++) {
        long[] shape = ranks.get(j) == 2 ? new long[] {n, 1} : new long[] {n};
        out.put(names.get(j), OnnxTensor.createTensor(env, rowMajor(new double[][] {cols[j]}, n), shape));
      }
      return out;
    } catch (OrtException | RuntimeException e) {
      close(out);
      throw e;
    }
  }

  private static FloatBuffer rowMajor(double[][] cols, int n) {
    int f = cols.length;
    float[] a = new float[n * f];
    for (int j = 0; j < f; j++) {
      double[] c = cols[j];
      for (int i = 0; i < n; i++) {
        a[i * f + j] = (float) c[i];
      }
    }
    return FloatBuffer.wrap(a);
  }

  static void close(Map<String, OnnxTensor> tensors) {
    if (tensors != null) {
      tensors.values().forEach(OnnxTensor::close);
    }
  }
}
