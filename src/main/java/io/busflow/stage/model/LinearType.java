package io.busflow.stage.model;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.RowChunks;
import io.busflow.data.model.LinearRegression;
import io.busflow.data.model.Model;
import io.busflow.data.transform.SpecReader;
import io.busflow.stage.Artifact;
import io.busflow.stage.Estimator;
import io.busflow.stage.ModelType;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code {"type":"linear"}}: ordinary least squares, as scikit-learn's {@code LinearRegression}; no params. */
public class LinearType implements ModelType {

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public Estimator parse(Map<String, Object> params, String path) {
    new SpecReader(params, path).done();
    return new Spec(name(), 0);
  }

  @Override
  public Model load(Artifact artifact) {
    return LinearRegression.fromState(artifact.state());
  }

  /** A least-squares spec with penalty {@code alpha} (0 for {@code linear}). */
  record Spec(String type, double alpha) implements Estimator {
    @Override
    public Map<String, Object> params() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (type.equals("ridge")) {
        m.put("alpha", alpha);
      }
      return m;
    }

    @Override
    public Model fit(Batch features, Column target) {
      return LinearRegression.fit(features, target, alpha);
    }

    /** The least-squares R and normal matrices, d × d for d = features + 1, one per thread and a few more. */
    @Override
    public long fitBytes(int features, int classes, int threads) {
      long d = features + 1L;
      return (4L + threads) * d * d * Double.BYTES;
    }

    /** Reads the rows where they are: no joined copy of the features. */
    @Override
    public Model fit(RowChunks features, Column target) {
      return LinearRegression.fit(features, target, alpha);
    }
  }
}
