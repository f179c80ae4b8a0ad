package io.busflow.stage.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.model.Model;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.model.Predictions;
import io.busflow.stage.Artifact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded ONNX model: feeds a feature batch to its session in one {@code run} (one per group of rows when its
 * inputs fix the row count) and turns the outputs into busflow's prediction columns ({@link OnnxOutputs}).
 * Checked at load time: the inputs fed (names, float or double type, width), the outputs read and, by one probe
 * row of zeros, the classes. Immutable and thread-safe.
 */
final class OnnxModel implements Model {

  private final String file;
  private final String sha256;
  private final String version;
  private final OnnxParams params;
  private final OnnxSessions.Shared shared;
  private final List<String> features;
  private final OnnxInputs inputs;
  private final OnnxOutputs outputs;

  OnnxModel(String file, String sha256, String version, OnnxParams params, OnnxSessions.Shared shared)
      throws OrtException {
    this.file = file;
    this.sha256 = sha256;
    this.version = version;
    this.params = params;
    this.shared = shared;
    OrtSession s = shared.session;
    this.inputs = OnnxInputs.of(file, params, s.getInputInfo());
    this.features = inputs.features();
    this.outputs = OnnxOutputs.of(file, params, s.getOutputInfo(), this::probe);
  }

  /** The outputs {@code names} for one row of zeros: how the model answers, read once at load time. */
  private OrtSession.Result probe(java.util.Set<String> names) throws OrtException {
    double[][] zeros = new double[features.size()][1];
    Map<String, OnnxTensor> in = inputs.tensors(zeros, 0, 1, Math.max(1, inputs.fixedRows()));
    try {
      return shared.session.run(in, names);
    } finally {
      OnnxInputs.close(in);
    }
  }

  @Override
  public List<String> featureNames() {
    return features;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public OutputSchema output() {
    return outputs.schema();
  }

  @Override
  public Predictions predict(Batch batch, String idColumn) {
    int n = batch.rowCount();
    double[][] cols = columns(batch);
    List<Column> out = new ArrayList<>();
    if (idColumn != null) {
      out.add(batch.column(idColumn));
    }
    out.addAll(n == 0 ? outputs.empty() : run(cols, n, batch));
    return new Predictions(version, batch.withOnly(out));
  }

  /** The prediction columns of the batch's {@code n} rows: one run, or runs of the model's fixed row count. */
  private List<Column> run(double[][] cols, int n, Batch batch) {
    int k = inputs.fixedRows();
    if (k == 0 || k == n) {
      return run(cols, 0, n, n, batch);
    }
    List<List<Column>> parts = new ArrayList<>();
    for (int from = 0; from < n; from += k) {
      int rows = Math.min(k, n - from);
      parts.add(run(cols, from, rows, k, batch).stream().map(c -> c.slice(0, rows)).toList());
    }
    List<Column> out = new ArrayList<>();
    for (int j = 0; j < parts.get(0).size(); j++) {
      int column = j;
      out.add(Column.concat(parts.stream().map(p -> p.get(column)).toList()));
    }
    return out;
  }

  /** One run on {@code rows} rows from {@code from}, fed as {@code fed} rows; its columns hold {@code fed} rows. */
  private List<Column> run(double[][] cols, int from, int rows, int fed, Batch batch) {
    Map<String, OnnxTensor> in = null;
    try {
      in = inputs.tensors(cols, from, rows, fed);
      try (OrtSession.Result r = shared.session.run(in, outputs.names())) {
        return outputs.columns(r, fed);
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException("onnx model '" + file + "': ONNX Runtime failed on the rows from "
          + batch.describeRow(from) + " to " + batch.describeRow(from + rows - 1) + ": " + e.getMessage(), e);
    } finally {
      OnnxInputs.close(in);
    }
  }

  private double[][] columns(Batch batch) {
    double[][] out = new double[features.size()][];
    for (int j = 0; j < out.length; j++) {
      String f = features.get(j);
      if (!batch.has(f)) {
        throw new IllegalArgumentException("onnx model '" + file + "': feature '" + f + "' is not in the batch; "
            + "columns are " + batch.columnNames() + "; the model's features are " + features);
      }
      if (!(batch.column(f) instanceof NumericColumn c)) {
        throw new IllegalArgumentException("onnx model '" + file + "': feature '" + f + "' is "
            + batch.column(f).type() + "; the model's inputs are float tensors, so features must be numeric");
      }
      out[j] = c.values();
    }
    return out;
  }

  @Override
  public Map<String, Object> toState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", OnnxType.NAME);
    s.put(Artifact.FILE, file);
    s.put(Artifact.SHA256, sha256);
    s.put("params", params.params());
    return s;
  }

  /** Checks that input {@code info} is a float or double tensor of rank 1 or 2; returns its rank. */
  static int inputRank(String file, NodeInfo info) {
    if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.DOUBLE
        || t.getShape().length < 1 || t.getShape().length > 2) {
      throw new IllegalArgumentException("onnx model '" + file + "': input '" + info.getName() + "' is "
          + typeAndShape(info) + "; busflow feeds float or double tensors [N, F] (or [N] / [N, 1] per column): "
          + "export the model with float inputs");
    }
    return t.getShape().length;
  }

  /** A value's type as a message shows it: {@code float [N, 4]}, {@code int64 [N]}, else ONNX Runtime's text. */
  static String typeAndShape(NodeInfo info) {
    return info.getInfo() instanceof TensorInfo t
        ? t.type.name().toLowerCase(java.util.Locale.ROOT) + " " + shape(t.getShape())
        : String.valueOf(info.getInfo());
  }

  /** The output value {@code name} of {@code r}. */
  static ai.onnxruntime.OnnxValue value(OrtSession.Result r, String name) {
    return r.get(name).orElseThrow(() -> new IllegalStateException("ONNX Runtime gave no output '" + name + "'"));
  }

  static String describe(Map<String, NodeInfo> infos) {
    List<String> out = new ArrayList<>();
    infos.forEach((k, v) -> out.add(k + " " + typeAndShape(v)));
    return out.toString();
  }

  @Override
  public String toString() {
    return "onnx model '" + file + "' (" + version + ")";
  }

  static String shape(long[] shape) {
    return java.util.Arrays.toString(shape).replace("-1", "N");
  }
}
