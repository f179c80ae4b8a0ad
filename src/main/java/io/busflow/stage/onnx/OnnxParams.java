package io.busflow.stage.onnx;

import io.busflow.data.transform.SpecReader;
import io.busflow.stage.Estimator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How busflow's columns map onto an ONNX model, as {@code model.params} states it.
 *
 * @param features          the feature columns in the model's order; null in {@code columns} mode means the
 *                          model's input names
 * @param input             {@code tensor}: one float tensor [N, F] in feature order; {@code columns}: one float
 *                          input [N, 1] (or [N]) per feature column, named as the column
 * @param inputName         the input fed in {@code tensor} mode; null for the model's only input
 * @param labelOutput       the output holding the predicted class or value; null for {@code label},
 *                          {@code output_label}, {@code variable}, or the only output
 * @param probabilityOutput the output holding class probabilities (a float tensor [N, K] or ONNX-ML's
 *                          sequence of maps); null for {@code probabilities} or {@code output_probability}
 *                          when present; none makes a regressor
 * @param classes           the classes of the K probability columns; null for the maps' keys, or 0 … K−1
 */
record OnnxParams(List<String> features, String input, String inputName, String labelOutput,
                  String probabilityOutput, List<Object> classes) implements Estimator {

  static final List<String> INPUTS = List.of("tensor", "columns");

  static OnnxParams read(Map<String, Object> params, String path) {
    SpecReader p = new SpecReader(params, path);
    String input = p.choice("input", "tensor", INPUTS);
    List<String> features = p.strings("features", null);
    if (features == null && input.equals("tensor")) {
      throw new io.busflow.data.transform.SpecException(p.path("features"), "is required with \"input\": \"tensor\": "
          + "name the feature columns in the order of the model's input tensor (or use \"input\": \"columns\" "
          + "for a model with one input per column)");
    }
    OnnxParams out = new OnnxParams(features, input, p.string("input_name", null), p.string("label_output", null),
        p.string("probability_output", null), classes(p));
    p.done();
    return out;
  }

  private static List<Object> classes(SpecReader p) {
    List<Object> raw = p.list("classes", null);
    if (raw == null) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object c = raw.get(i);
      if (!(c instanceof Number) && !(c instanceof String)) {
        throw new io.busflow.data.transform.SpecException(p.path("classes") + "[" + i + "]", "is " + c
            + " but must be a number or a string");
      }
      out.add(c instanceof Number n ? (Object) n.doubleValue() : c);
    }
    return List.copyOf(out);
  }

  @Override
  public String type() {
    return OnnxType.NAME;
  }

  @Override
  public boolean fits() {
    return false;
  }

  @Override
  public Map<String, Object> params() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (features != null) {
      m.put("features", new ArrayList<Object>(features));
    }
    m.put("input", input);
    putIf(m, "input_name", inputName);
    putIf(m, "label_output", labelOutput);
    putIf(m, "probability_output", probabilityOutput);
    if (classes != null) {
      m.put("classes", new ArrayList<>(classes));
    }
    return m;
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
