package io.busflow.stage.model;

import io.busflow.data.transform.SpecReader;
import io.busflow.stage.Estimator;
import java.util.Map;

/** {@code {"type":"ridge","params":{"alpha":1.0}}}: scikit-learn's {@code Ridge}; loads like {@code linear}. */
public final class RidgeType extends LinearType {

  @Override
  public String name() {
    return "ridge";
  }

  @Override
  public Estimator parse(Map<String, Object> params, String path) {
    SpecReader p = new SpecReader(params, path);
    double alpha = p.number("alpha", 1.0, 0, Double.MAX_VALUE);
    p.done();
    return new Spec(name(), alpha);
  }
}
