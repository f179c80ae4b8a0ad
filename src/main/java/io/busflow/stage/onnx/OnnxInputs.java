package io.busflow.stage.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How feature columns become the model's inputs: one float or double tensor [N, F] in feature order ({@code
 * tensor}), or one float or double input [N, 1] (or [N]) per feature column, named as the column ({@code
 * columns}). A model whose inputs have a fixed first dimension (a batch of 1, as {@code torch.onnx.export} writes
 * without dynamic axes) is fed that many rows at a time, the last group padded with rows of zeros.
 *
 * @param file      the model file, for messages
 * @param features  the feature columns in feeding order
 * @param names     the input names: one ({@code tensor}) or one per feature ({@code columns})
 * @param ranks     each input's rank (1 or 2)
 * @param doubles   whether each input is a double tensor (else float)
 * @param tensor    whether one [N, F] tensor is fed ({@code tensor} mode)
 * @param fixedRows the rows of one run when the inputs' first dimension is fixed; 0 when it is not
 */
record OnnxInputs(String file, List<String> features, List<String> names, List<Integer> ranks, List<Boolean> doubles,
    boolean tensor, int fixedRows) {

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
    int rank = OnnxModel.inputRank(file, info);
    long width = ((TensorInfo) info.getInfo()).getShape()[rank - 1];
    if (rank != 2 || width > 0 && width != params.features().size()) {
      throw new IllegalArgumentException("onnx model '" + file + "': input '" + info.getName() + "' has shape "
          + OnnxModel.shape(((TensorInfo) info.getInfo()).getShape()) + " but busflow feeds [N, "
          + params.features().size() + "] (one column per name in model.params.features); list the model's "
          + "features in its input order");
    }
    return new OnnxInputs(file, params.features(), List.of(info.getName()), List.of(2), List.of(isDouble(info)), true,
        fixedRows(file, List.of(info)));
  }

  private static OnnxInputs columns(String file, OnnxParams params, Map<String, NodeInfo> inputs) {
    List<String> features = params.features() != null ? params.features() : List.copyOf(inputs.keySet());
    List<Integer> ranks = new ArrayList<>();
    List<Boolean> doubles = new ArrayList<>();
    for (String f : features) {
      NodeInfo info = inputs.get(f);
      if (info == null) {
        throw new IllegalArgumentException("onnx model '" + file + "' has no input for feature '" + f
            + "'; its inputs are " + OnnxModel.describe(inputs) + "; with \"input\": \"columns\" each feature "
            + "column feeds the input of the same name");
      }
      ranks.add(OnnxModel.inputRank(file, info));
      doubles.add(isDouble(info));
    }
    List<String> missing = new ArrayList<>(inputs.keySet());
    missing.removeAll(features);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("onnx model '" + file + "': inputs " + missing + " are not fed: "
          + "model.params.features names no such column; add them to the features");
    }
    return new OnnxInputs(file, features, features, List.copyOf(ranks), List.copyOf(doubles), false,
        fixedRows(file, features.stream().map(inputs::get).toList()));
  }

  private static boolean isDouble(NodeInfo info) {
    return ((TensorInfo) info.getInfo()).type == OnnxJavaType.DOUBLE;
  }

  /** The inputs' fixed first dimension, 0 when it is free; fails when the inputs disagree. */
  private static int fixedRows(String file, List<NodeInfo> infos) {
    Set<Long> firsts = new TreeSet<>();
    infos.forEach(i -> firsts.add(((TensorInfo) i.getInfo()).getShape()[0]));
    if (firsts.size() > 1) {
      throw new IllegalArgumentException("onnx model '" + file + "': its inputs " + describe(infos)
          + " disagree on the first dimension (the rows); busflow feeds every input the same rows");
    }
    long first = firsts.iterator().next();
    return first > 0 ? Math.toIntExact(first) : 0;
  }

  private static List<String> describe(List<NodeInfo> infos) {
    return infos.stream().map(i -> i.getName() + " " + OnnxModel.typeAndShape(i)).toList();
  }

  /**
   * The input tensors for rows {@code from} to {@code from + rows} of the feature columns {@code cols}, as
   * {@code fed} rows (those past {@code rows} are zeros); the caller closes them.
   */
  Map<String, OnnxTensor> tensors(double[][] cols, int from, int rows, int fed) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> out = new LinkedHashMap<>();
    try {
      if (tensor) {
        out.put(names.get(0), tensor(env, cols, from, rows, fed, doubles.get(0), new long[] {fed, cols.length}));
        return out;
      }
      for (int j = 0; j < names.size(); j++) {
        long[] shape = ranks.get(j) == 2 ? new long[] {fed, 1} : new long[] {fed};
        out.put(names.get(j), tensor(env, new double[][] {cols[j]}, from, rows, fed, doubles.get(j), shape));
      }
      return out;
    } catch (OrtException | RuntimeException e) {
      close(out);
      throw e;
    }
  }

  /** The rows of {@code cols} in row-major order, as doubles or floats. */
  private static OnnxTensor tensor(OrtEnvironment env, double[][] cols, int from, int rows, int fed, boolean asDouble,
      long[] shape) throws OrtException {
    int f = cols.length;
    double[] d = asDouble ? new double[fed * f] : null;
    float[] a = asDouble ? null : new float[fed * f];
    for (int j = 0; j < f; j++) {
      double[] c = cols[j];
      for (int i = 0; i < rows; i++) {
        if (asDouble) {
          d[i * f + j] = c[from + i];
        } else {
          a[i * f + j] = (float) c[from + i];
        }
      }
    }
    return asDouble ? OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape)
        : OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape);
  }

  static void close(Map<String, OnnxTensor> tensors) {
    if (tensors != null) {
      tensors.values().forEach(OnnxTensor::close);
    }
  }
}
