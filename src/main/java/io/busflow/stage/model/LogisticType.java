package io.busflow.stage.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowChunks;
import io.busflow.data.model.LogisticRegression;
import io.busflow.data.model.Model;
import io.busflow.data.transform.SpecReader;
import io.busflow.stage.Artifact;
import io.busflow.stage.Estimator;
import io.busflow.stage.ModelType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"type":"logistic","params":{"C":1.0,"tol":0.0001,"max_iter":100,"threshold":0.5}}}: scikit-learn's
 * {@code LogisticRegression} (its defaults), binary or multinomial by the number of classes; optionally
 * {@code "class_weight":"balanced"}, scikit-learn's, weighting each row's loss by
 * {@code n_samples / (n_classes · count of its class)}.
 */
public final class LogisticType implements ModelType {

  @Override
  public String name() {
    return "logistic";
  }

  @Override
  public Estimator parse(Map<String, Object> params, String path) {
    SpecReader p = new SpecReader(params, path);
    var options = new LogisticRegression.Options(p.number("C", 1.0, Double.MIN_VALUE, Double.MAX_VALUE),
        p.number("tol", 1e-4, Double.MIN_VALUE, 1), p.integer("max_iter", 100, 1, 100_000),
        p.number("threshold", 0.5, 0, 1), classWeight(p) != null);
    p.done();
    return new Spec(options);
  }

  private static String classWeight(SpecReader p) {
    String w = p.string("class_weight", null);
    if (w != null && !w.equals("balanced")) {
      throw new io.busflow.data.transform.SpecException(p.path("class_weight"), "is '" + w
          + "' but must be \"balanced\" (or left out for equal weights)");
    }
    return w;
  }

  @Override
  public Model load(Artifact artifact) {
    return LogisticRegression.fromState(artifact.state());
  }

  private record Spec(LogisticRegression.Options options) implements Estimator {
    @Override
    public String type() {
      return "logistic";
    }

    @Override
    public boolean classifier() {
      return true;
    }

    @Override
    public Map<String, Object> params() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("C", options.c());
      m.put("tol", options.tol());
      m.put("max_iter", options.maxIter());
      m.put("threshold", options.threshold());
      if (options.balanced()) {
        m.put("class_weight", "balanced");
      }
      return m;
    }

    @Override
    public Model fit(Batch features, Column target) {
      return LogisticRegression.fit(features, target, options);
    }

    /**
     * Newton's p × p matrices, p = features + 1 for a binary fit and (features + 1) × classes for a multinomial one:
     * the Hessian, the line search's, the Cholesky factor's copy, the sums' total, and two block sums waiting per
     * thread.
     */
    @Override
    public long fitBytes(int features, int classes, int threads) {
      long p = (features + 1L) * (classes > 2 ? classes : 1);
      return (4L + 2L * threads) * p * p * Double.BYTES;
    }

    /** Reads the rows where they are: no joined copy of the features. */
    @Override
    public Model fit(RowChunks features, Column target) {
      return LogisticRegression.fit(features, target, options);
    }
  }
}
