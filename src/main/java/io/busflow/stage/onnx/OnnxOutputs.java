package io.busflow.stage.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.model.OutputSchema;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the model's outputs become busflow's prediction columns: the label output (a tensor [N] or [N, 1] of
 * int64, int32, float, double or string) becomes {@code prediction}; the probability output (a float tensor
 * [N, K], or ONNX-ML's sequence of maps from class to probability, as {@code ZipMap} makes) becomes one
 * {@code p_<class>} column per class. Without a probability output the model is a regressor.
 *
 * @param file        the model file, for messages
 * @param label       the label output's name; null to take the class of highest probability
 * @param probability the probability output's name; null for a regressor
 * @param zipMap      whether the probabilities are a sequence of maps
 * @param mapKeys     for maps, the key of each class in class order (Long or String)
 * @param schema      the columns made
 */
record OnnxOutputs(String file, String label, String probability, boolean zipMap, List<Object> mapKeys,
                   OutputSchema schema) {

  private static final List<String> LABELS = List.of("label", "output_label", "variable");
  private static final List<String> PROBABILITIES = List.of("probabilities", "output_probability");

  /** Runs the model on one probe row and returns the outputs asked for. */
  interface Probe {
    OrtSession.Result run(Set<String> names) throws OrtException;
  }

  static OnnxOutputs of(String file, OnnxParams params, Map<String, NodeInfo> outputs, Probe probe)
      throws OrtException {
    String prob = pick(file, outputs, params.probabilityOutput(), PROBABILITIES, "probability_output");
    String label = pick(file, outputs, params.labelOutput(), LABELS, "label_output");
    if (label == null && prob == null && outputs.size() == 1) {
      label = outputs.keySet().iterator().next();
    }
    if (label == null && prob == null) {
      throw new IllegalArgumentException("onnx model '" + file + "' has outputs " + OnnxModel.describe(outputs)
          + "; name the one holding the prediction (model.params.label_output) and, for a classifier, the "
          + "probabilities (model.params.probability_output)");
    }
    if (label != null) {
      labelType(file, outputs.get(label));
    }
    if (prob == null) {
      return regressor(file, label, outputs.get(label));
    }
    boolean maps = probabilityKind(file, outputs.get(prob));
    try (OrtSession.Result r = probe.run(new LinkedHashSet<>(List.of(prob)))) {
      return classifier(file, params, label, prob, maps, OnnxModel.value(r, prob));
    }
  }

  private static String pick(String file, Map<String, NodeInfo> outputs, String given, List<String> defaults,
      String key) {
    if (given != null) {
      if (!outputs.containsKey(given)) {
        throw new IllegalArgumentException("onnx model '" + file + "' has no output '" + given + "' (model.params."
            + key + "); its outputs are " + OnnxModel.describe(outputs));
      }
      return given;
    }
    return defaults.stream().filter(outputs::containsKey).findFirst().orElse(null);
  }

  private static OnnxJavaType labelType(String file, NodeInfo info) {
    if (info.getInfo() instanceof TensorInfo t && t.getShape().length >= 1 && t.getShape().length <= 2
        && List.of(OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE,
            OnnxJavaType.STRING).contains(t.type)) {
      return t.type;
    }
    throw new IllegalArgumentException("onnx model '" + file + "': output '" + info.getName() + "' is "
        + OnnxModel.typeAndShape(info) + " but the prediction must be a tensor [N] or [N, 1] of numbers or strings");
  }

  /** True for a sequence of maps, false for a float tensor [N, K]; fails otherwise. */
  private static boolean probabilityKind(String file, NodeInfo info) {
    if (info.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 2) {
      return false;
    }
    if (info.getInfo() instanceof SequenceInfo s && s.isSequenceOfMaps()) {
      return true;
    }
    throw new IllegalArgumentException("onnx model '" + file + "': output '" + info.getName() + "' is "
        + OnnxModel.typeAndShape(info) + " but probabilities must be a float tensor [N, K] or a sequence of maps (ZipMap)");
  }

  private static OnnxOutputs regressor(String file, String label, NodeInfo info) {
    OnnxJavaType t = ((TensorInfo) info.getInfo()).type;
    if (t != OnnxJavaType.FLOAT && t != OnnxJavaType.DOUBLE) {
      throw new IllegalArgumentException("onnx model '" + file + "': output '" + label + "' holds " + t
          + " labels but the model has no probability output; name it (model.params.probability_output), "
          + "or export the classifier with its probabilities");
    }
    return new OnnxOutputs(file, label, null, false, List.of(), OutputSchema.regression());
  }

  private static OnnxOutputs classifier(String file, OnnxParams params, String label, String prob, boolean maps,
      OnnxValue probe) throws OrtException {
    List<Object> keys = maps ? keysOf((OnnxSequence) probe) : List.of();
    int k = maps ? keys.size() : (int) ((OnnxTensor) probe).getInfo().getShape()[1];
    List<Object> classes = params.classes() != null ? params.classes() : classesOf(keys, k);
    if (classes.size() != k) {
      throw new IllegalArgumentException("onnx model '" + file + "': output '" + prob + "' gives " + k
          + " probabilities per row but model.params.classes names " + classes.size() + " classes");
    }
    if (maps && params.classes() != null) {
      keys = keysFor(file, prob, classes, keys);
    }
    return new OnnxOutputs(file, label, prob, maps, keys, OutputSchema.classifier(classes));
  }

  private static List<Object> keysOf(OnnxSequence seq) throws OrtException {
    Map<?, ?> first = ((OnnxMap) seq.getValue().get(0)).getValue();
    List<Object> keys = new ArrayList<>(first.keySet());
    keys.sort((a, b) -> a instanceof Long x && b instanceof Long y ? Long.compare(x, y)
        : String.valueOf(a).compareTo(String.valueOf(b)));
    return keys;
  }

  /** The classes of map keys (numbers as Double), or 0 … k−1 for a tensor. */
  private static List<Object> classesOf(List<Object> keys, int k) {
    List<Object> out = new ArrayList<>();
    if (keys.isEmpty()) {
      for (int c = 0; c < k; c++) {
        out.add((double) c);
      }
    }
    keys.forEach(key -> out.add(key instanceof Long l ? (Object) l.doubleValue() : key));
    return out;
  }

  private static List<Object> keysFor(String file, String prob, List<Object> classes, List<Object> keys) {
    List<Object> out = new ArrayList<>();
    for (Object c : classes) {
      Object key = c instanceof Double d ? (Object) d.longValue() : c;
      if (!keys.contains(key)) {
        throw new IllegalArgumentException("onnx model '" + file + "': output '" + prob + "' has no probability "
            + "for class " + c + " of model.params.classes; its classes are " + keys);
      }
      out.add(key);
    }
    return out;
  }

  /** The outputs to ask for. */
  Set<String> names() {
    Set<String> out = new HashSet<>();
    if (label != null) {
      out.add(label);
    }
    if (probability != null) {
      out.add(probability);
    }
    return out;
  }

  /** The prediction columns of zero rows. */
  List<Column> empty() {
    List<Column> out = new ArrayList<>();
    out.add(new NumericColumn(schema.prediction(), new double[0]));
    schema.probabilities().forEach(p -> out.add(new NumericColumn(p, new double[0])));
    return out;
  }

  /** The prediction columns of {@code n} rows from the outputs {@code r}. */
  List<Column> columns(OrtSession.Result r, int n) throws OrtException {
    List<Column> out = new ArrayList<>();
    double[][] p = probability == null ? null : probabilities(OnnxModel.value(r, probability), n);
    out.add(label != null ? labels((OnnxTensor) OnnxModel.value(r, label), n) : argmax(p, n));
    for (int c = 0; p != null && c < p.length; c++) {
      out.add(new NumericColumn(schema.probabilities().get(c), p[c]));
    }
    return out;
  }

  private Column labels(OnnxTensor t, int n) throws OrtException {
    String name = schema.prediction();
    switch (t.getInfo().type) {
      case STRING:
        return new StringColumn(name, strings(t.getValue(), n));
      case INT64:
        return new NumericColumn(name, doubles(t.getLongBuffer().array(), n));
      case INT32:
        int[] ints = new int[n];
        t.getIntBuffer().get(ints);
        return new NumericColumn(name, java.util.Arrays.stream(ints).asDoubleStream().toArray());
      case DOUBLE:
        double[] d = new double[n];
        t.getDoubleBuffer().get(d);
        return new NumericColumn(name, d);
      default:
        return new NumericColumn(name, floats(t.getFloatBuffer(), n));
    }
  }

  private static double[] doubles(long[] v, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static double[] floats(FloatBuffer b, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static String[] strings(Object value, int n) {
    Object[] rows = (Object[]) value;
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = rows[i] instanceof String[] r ? r[0] : (String) rows[i];
    }
    return out;
  }

  private Column argmax(double[][] p, int n) {
    Object[] best = new Object[n];
    for (int i = 0; i < n; i++) {
      int b = 0;
      for (int c = 1; c < p.length; c++) {
        b = p[c][i] > p[b][i] ? c : b;
      }
      best[i] = schema.classes().get(b);
    }
    if (best.length > 0 && best[0] instanceof String) {
      return new StringColumn(schema.prediction(), java.util.Arrays.copyOf(best, n, String[].class));
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = (Double) best[i];
    }
    return new NumericColumn(schema.prediction(), out);
  }

  /** Per class, the probabilities of the {@code n} rows. */
  private double[][] probabilities(OnnxValue v, int n) throws OrtException {
    int k = schema.classes().size();
    double[][] out = new double[k][n];
    if (zipMap) {
      List<? extends OnnxValue> rows = ((OnnxSequence) v).getValue();
      for (int i = 0; i < n; i++) {
        Map<?, ?> m = ((OnnxMap) rows.get(i)).getValue();
        for (int c = 0; c < k; c++) {
          out[c][i] = ((Number) m.get(mapKeys.get(c))).doubleValue();
        }
      }
      return out;
    }
    FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        out[c][i] = b.get(i * k + c);
      }
    }
    return out;
  }
}
