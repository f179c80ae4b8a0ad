package io.busflow.stage.onnx;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.stage.Artifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixtures of {@code src/test/resources/onnx} (made by {@code make_onnx.py}): test rows, models and
 * scikit-learn's predictions, read as busflow batches.
 */
public final class OnnxFixtures {

  public static final Path DIR = Path.of("src/test/resources/onnx");

  /**
   * One fixture model: its file, the dataset it was trained on, its model.params, and the fixture whose
   * {@code _expected.csv} holds its predictions (its own, or one it shares with models of the same fit).
   */
  public record Case(String model, String dataset, Map<String, Object> params, String golden) {
    public Path file() {
      return DIR.resolve(model + ".onnx");
    }

    public Batch rows() {
      return read(DIR.resolve(dataset + ".csv"));
    }

    public Batch expected() {
      return read(DIR.resolve(golden + "_expected.csv"));
    }

    /** The feature columns: every column of the dataset but id and target. */
    public List<String> features() {
      List<String> f = new ArrayList<>(rows().columnNames());
      f.remove("id");
      f.remove("target");
      return f;
    }

    public Artifact artifact() {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("type", "onnx");
      state.put(Artifact.FILE, file().toString());
      state.put("params", params);
      return new Artifact("onnx", OnnxType.MEDIA_TYPE, state, file().toString(), bytes(file()));
    }
  }

  private OnnxFixtures() {}

  /**
   * The fixtures; params give the features in the model's order (tensor models). The three {@code
   * diabetes_linear} models are one fit: fed doubles, and in float with fixed batches of 1 and of 4 rows.
   */
  public static List<Case> all() {
    return List.of(tensor("iris_linear", "iris", "iris_linear"),
        tensor("breast_cancer_gb", "breast_cancer", "breast_cancer_gb"),
        new Case("wine_mlp", "wine", Map.of("input", "columns"), "wine_mlp"),
        tensor("diabetes_tree", "diabetes", "diabetes_tree"),
        tensor("diabetes_linear_double", "diabetes", "diabetes_linear"),
        tensor("diabetes_linear_b1", "diabetes", "diabetes_linear"),
        tensor("diabetes_linear_b4", "diabetes", "diabetes_linear"));
  }

  public static Case get(String model) {
    return all().stream().filter(c -> c.model().equals(model)).findFirst().orElseThrow();
  }

  private static Case tensor(String model, String dataset, String golden) {
    Case bare = new Case(model, dataset, Map.of(), golden);
    return new Case(model, dataset, Map.of("features", new ArrayList<Object>(bare.features())), golden);
  }

  /** A CSV of these fixtures (no quoting): column {@code id} as text, every other column numeric. */
  public static Batch read(Path csv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] header = lines.get(0).split(",");
    int n = lines.size() - 1;
    String[][] cells = new String[n][];
    for (int i = 0; i < n; i++) {
      cells[i] = lines.get(i + 1).split(",", -1);
    }
    List<Column> cols = new ArrayList<>();
    for (int j = 0; j < header.length; j++) {
      cols.add(column(header[j], cells, j));
    }
    return new Batch(0, 0, n, cols);
  }

  private static Column column(String name, String[][] cells, int j) {
    if (name.equals("id")) {
      String[] v = new String[cells.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = cells[i][j];
      }
      return new StringColumn(name, v);
    }
    double[] v = new double[cells.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.parseDouble(cells[i][j]);
    }
    return new NumericColumn(name, v);
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
