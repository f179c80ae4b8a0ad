package io.busflow.data.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checking and reading feature batches. */
final class FeatureMatrix {

  private FeatureMatrix() {
  }

  /** The feature columns in model order; fails listing missing and unexpected names when they differ. */
  static double[][] columns(Batch batch, List<String> features, String idColumn) {
    requireNames(batch, features, idColumn);
    double[][] out = new double[features.size()][];
    for (int j = 0; j < out.length; j++) {
      Column c = batch.column(features.get(j));
      if (!(c instanceof NumericColumn n)) {
        throw notNumeric(c.name(), c.type());
      }
      out[j] = n.values();
    }
    return out;
  }

  static IllegalArgumentException notNumeric(String feature, ColumnType type) {
    return new IllegalArgumentException("feature '" + feature + "' is " + type
        + "; a model needs numeric features (use a Preprocessor)");
  }

  private static void requireNames(Batch batch, List<String> features, String idColumn) {
    if (exactly(batch, features, idColumn)) {
      return;
    }
    Set<String> present = new LinkedHashSet<>(batch.columnNames());
    if (idColumn != null && !present.remove(idColumn)) {
      throw new IllegalArgumentException("id column '" + idColumn + "' is not in the batch; columns are "
          + batch.columnNames());
    }
    List<String> missing = new ArrayList<>(features);
    missing.removeAll(present);
    List<String> unexpected = new ArrayList<>(present);
    unexpected.removeAll(features);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException("feature names do not match the model's: missing: " + missing
          + ", unexpected: " + unexpected + "; transform the data with the preprocessor the model was "
          + "trained after");
    }
  }

  /** Whether the batch holds exactly the features and the id column (checked without building sets). */
  private static boolean exactly(Batch batch, List<String> features, String idColumn) {
    if (batch.columns().size() != features.size() + (idColumn == null ? 0 : 1)
        || idColumn != null && (!batch.has(idColumn) || features.contains(idColumn))) {
      return false;
    }
    for (String f : features) {
      if (!batch.has(f)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fails naming the first row holding NaN (its file and line when {@code batch} knows them, else its stream
   * position) and its feature, when {@code z} has a NaN.
   */
  static void requireNoMissing(double[] z, double[][] cols, List<String> features, Batch batch) {
    for (int i = 0; i < z.length; i++) {
      if (Double.isNaN(z[i])) {
        throw new IllegalArgumentException(batch.describeRow(i) + ": feature '" + nanFeature(cols, features, i)
            + "' is missing (NaN); impute it in preprocessing before predicting");
      }
    }
  }

  private static String nanFeature(double[][] cols, List<String> features, int row) {
    for (int j = 0; j < cols.length; j++) {
      if (Double.isNaN(cols[j][row])) {
        return features.get(j);
      }
    }
    return "?";
  }

  /** A fit's failure on a missing value: {@code row} as {@link Batch#describeRow} names it. */
  static IllegalArgumentException missingInTraining(String row, String feature) {
    return new IllegalArgumentException("training " + row + ": feature '" + feature
        + "' is missing (NaN); impute it before training");
  }
}
