package io.busflow.pipeline.model;

import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.model.LinearRegression;
import io.busflow.data.model.LogisticRegression;
import io.busflow.data.model.Model;
import io.vertx.core.json.JsonObject;

/**
 * Which model to fit and how, as a pipeline file or a fit request states it:
 * {@code {"type":"logistic","params":{"C":1.0,"tol":0.0001,"max_iter":100,"threshold":0.5}}} (scikit-learn's
 * {@code LogisticRegression} defaults; binary or multinomial by the number of classes; optionally
 * {@code "class_weight":"balanced"}, scikit-learn's, weighting each row's loss by
 * {@code n_samples / (n_classes · count of its class)}),
 * {@code {"type":"linear"}} (ordinary least squares) or {@code {"type":"ridge","params":{"alpha":1.0}}}.
 *
 * @param type      logistic, linear or ridge
 * @param c         inverse regularization strength of logistic regression
 * @param tol       logistic convergence tolerance
 * @param maxIter   logistic Newton steps at most
 * @param threshold binary decision threshold on the second class's probability
 * @param alpha     ridge penalty (0 for linear)
 * @param classWeight logistic class weights: null (every row weighs 1) or {@code "balanced"}
 */
public record ModelSpec(String type, double c, double tol, int maxIter, double threshold, double alpha,
                        String classWeight) {

  /** Reads {@code type} and {@code params} from {@code r}; errors name the key's path. */
  public static ModelSpec read(ConfigReader r) {
    String type = r.requiredString("type");
    ConfigReader p = r.object("params");
    ModelSpec spec = switch (type) {
      case "logistic" -> new ModelSpec(type, p.number("C", 1.0, Double.MIN_VALUE, Double.MAX_VALUE),
          p.number("tol", 1e-4, Double.MIN_VALUE, 1), p.integer("max_iter", 100, 1, 100_000),
          p.number("threshold", 0.5, 0, 1), 0, classWeight(p));
      case "linear" -> new ModelSpec(type, 0, 0, 0, 0, 0, null);
      case "ridge" -> new ModelSpec(type, 0, 0, 0, 0, p.number("alpha", 1.0, 0, Double.MAX_VALUE), null);
      default -> throw new ConfigException(r.path("type"), "is '" + type + "' but must be logistic, linear or ridge");
    };
    p.done();
    return spec;
  }

  private static String classWeight(ConfigReader p) {
    String w = p.string("class_weight", null);
    if (w != null && !w.equals("balanced")) {
      throw new ConfigException(p.path("class_weight"), "is '" + w + "' but must be \"balanced\" (or left out "
          + "for equal weights)");
    }
    return w;
  }

  /** Whether the model predicts classes. */
  public boolean classifier() {
    return type.equals("logistic");
  }

  /** Fits on a whole feature batch and its target column; blocking, CPU-heavy. */
  public Model fit(Batch features, Column target) {
    if (classifier()) {
      return LogisticRegression.fit(features, target, new LogisticRegression.Options(c, tol, maxIter, threshold,
          "balanced".equals(classWeight)));
    }
    return LinearRegression.fit(features, target, alpha);
  }

  private JsonObject logisticParams() {
    return new JsonObject().put("C", c).put("tol", tol).put("max_iter", maxIter).put("threshold", threshold);
  }

  /** The JSON form that {@link #read} accepts. */
  public JsonObject toJson() {
    JsonObject params = switch (type) {
      case "logistic" -> classWeight == null ? logisticParams() : logisticParams().put("class_weight", classWeight);
      case "ridge" -> new JsonObject().put("alpha", alpha);
      default -> new JsonObject();
    };
    return new JsonObject().put("type", type).put("params", params);
  }
}
