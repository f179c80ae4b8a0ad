package io.busflow.data.model;

import io.busflow.data.transform.LabelEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a fitted model's prediction batch holds, so that no reader decodes column names: the prediction
 * column, and for a classifier its classes in order, one probability column per class (same order) and,
 * with two classes, the probability column of the second (positive) class.
 *
 * @param prediction    the column of the predicted class or value
 * @param classes       the class labels (numbers as {@code Double}, or text); empty for a regressor
 * @param probabilities one probability column name per class; empty for a regressor
 * @param positive      the probability column of the positive class of a binary classifier, else null
 */
public record OutputSchema(String prediction, List<Object> classes, List<String> probabilities, String positive) {

  public OutputSchema {
    classes = List.copyOf(classes);
    probabilities = List.copyOf(probabilities);
    if (classes.size() != probabilities.size()) {
      throw new IllegalArgumentException("output schema: " + classes.size() + " classes but "
          + probabilities.size() + " probability columns");
    }
  }

  /** A regressor's output: one {@value Predictions#PREDICTION} column. */
  public static OutputSchema regression() {
    return new OutputSchema(Predictions.PREDICTION, List.of(), List.of(), null);
  }

  /** A classifier's output with busflow's column names, {@code p_<class>} for each class. */
  public static OutputSchema classifier(List<?> classes) {
    List<String> columns = new ArrayList<>();
    classes.forEach(c -> columns.add(Predictions.probabilityColumn(LabelEncoder.text(c))));
    return new OutputSchema(Predictions.PREDICTION, new ArrayList<>(classes), columns,
        columns.size() == 2 ? columns.get(1) : null);
  }

  /** Whether the model predicts classes. */
  public boolean classifier() {
    return !classes.isEmpty();
  }

  /** JSON-shaped: {@code {"prediction":…,"classes":[…],"probabilities":[…],"positive":…}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("prediction", prediction);
    m.put("classes", new ArrayList<>(classes));
    m.put("probabilities", new ArrayList<Object>(probabilities));
    m.put("positive", positive);
    return m;
  }
}
