package io.busflow.pipeline.protocol;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.LabelEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of online predictions. Request: {@code {"records":[{…}, …]}}. Reply:
 * {@code {"pipeline":…,"preprocessor":"pp-…","model":"logistic-…","unknownLevels":{"country":0},
 * "predictions":[{"id":"C1","prediction":1,"probabilities":{"0":0.27,"1":0.73},"model":"logistic-…"}, …]}},
 * one prediction per record in record order: {@code id} when the pipeline has an id column, {@code prediction}
 * (the class, or the value of a regression), {@code probabilities} per class for classifiers (full double
 * precision), and the version of the model that made it.
 */
public final class PredictionJson {

  private PredictionJson() {}

  /** The {@code records} of a request body; BAD_REQUEST saying what the body should be when it is not that. */
  public static JsonArray records(Object body) {
    if (body instanceof JsonObject o && o.getValue("records") instanceof JsonArray records) {
      return records;
    }
    throw ActorException.badRequest("the body must be an object with a list of records, "
        + "{\"records\": [{\"column\": value, …}, …]}; got " + shape(body));
  }

  private static String shape(Object body) {
    if (!(body instanceof JsonObject o)) {
      return "a JSON " + (body instanceof JsonArray ? "list" : "value");
    }
    if (!o.containsKey("records")) {
      return "an object with keys " + o.fieldNames();
    }
    Object records = o.getValue("records");
    return "'records' as " + (records == null ? "null" : records instanceof JsonObject ? "an object"
        : records instanceof String ? "a string" : records instanceof Number ? "a number" : "a boolean");
  }

  /** Bytes {@link #answerBytes} counts for each record, whatever the model. */
  public static final long RECORD_BYTES = 512;
  /** Bytes {@link #answerBytes} counts for each class of each record, besides twice the class's characters. */
  public static final long CLASS_BYTES = 128;

  /**
   * About the most heap the answer to {@code records} records takes while it is made — the model's output batch,
   * the reply's objects and its encoded text —, so that what is built can be bounded before the stages are asked:
   * {@value #RECORD_BYTES} bytes a record, and for a classifier {@value #CLASS_BYTES} bytes plus two a character
   * of the class's name per class and record (each record carries every class's probability under its name).
   */
  public static long answerBytes(int records, OutputSchema schema) {
    long perRecord = RECORD_BYTES;
    for (Object c : schema.classes()) {
      perRecord += CLASS_BYTES + 2L * LabelEncoder.text(c).length();
    }
    return records * perRecord;
  }

  /**
   * The reply for {@code predictions}, a model's batch whose columns {@code schema} names (and the id column
   * when {@code idColumn} is not null).
   */
  public static JsonObject body(String pipeline, String preprocessor, String model, Batch predictions,
                                OutputSchema schema, String idColumn, Map<String, Long> unknownLevels) {
    Column id = idColumn == null ? null : predictions.column(idColumn);
    Column prediction = predictions.column(schema.prediction());
    List<NumericColumn> probabilities = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (int k = 0; k < schema.classes().size(); k++) {
      probabilities.add(predictions.numeric(schema.probabilities().get(k)));
      classes.add(LabelEncoder.text(schema.classes().get(k)));
    }
    JsonArray rows = new JsonArray(new ArrayList<>(predictions.rowCount()));
    for (int i = 0; i < predictions.rowCount(); i++) {
      rows.add(row(i, id, prediction, probabilities, classes, model));
    }
    return new JsonObject(new LinkedHashMap<>()).put("pipeline", pipeline).put("preprocessor", preprocessor)
        .put("model", model).put("unknownLevels", new JsonObject(new LinkedHashMap<>(unknownLevels)))
        .put("predictions", rows);
  }

  private static JsonObject row(int i, Column id, Column prediction, List<NumericColumn> probabilities,
                                List<String> classes, String model) {
    JsonObject row = new JsonObject(new LinkedHashMap<>());
    if (id != null) {
      row.put("id", BatchJson.value(id, i));
    }
    row.put("prediction", BatchJson.value(prediction, i));
    if (!probabilities.isEmpty()) {
      JsonObject p = new JsonObject(new LinkedHashMap<>());
      for (int k = 0; k < probabilities.size(); k++) {
        p.put(classes.get(k), probabilities.get(k).get(i));
      }
      row.put("probabilities", p);
    }
    return row.put("model", model);
  }
}
