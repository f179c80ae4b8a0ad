package io.busflow.testkit;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.ColumnType;
import io.busflow.data.NumericColumn;
import io.busflow.data.transform.Fitter;
import io.busflow.data.transform.Preprocessor;
import io.busflow.data.transform.SpecReader;
import io.busflow.data.transform.Step;
import io.busflow.data.transform.StepType;
import io.busflow.data.transform.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's preprocessing step, registered by the tests' {@code META-INF/services}: scikit-learn's
 * {@code MaxAbsScaler} ({@code {"maxabs": {"columns": [...]}}}: each column divided by its largest absolute
 * value, 1 when that is 0). Written only against the public step SPI, as a plugin would be.
 */
public final class MaxAbsStep implements StepType {

  @Override
  public String name() {
    return "maxabs";
  }

  @Override
  public Step parse(Object body, String at) {
    List<String> columns = SpecReader.of(body, at, name() + " steps", List.of("columns")).names("columns");
    return new Step() {
      @Override
      public List<String> reads() {
        return columns;
      }

      @Override
      public boolean touches(String column) {
        return columns.contains(column);
      }

      @Override
      public Fitter<? extends Transformer> fitter() {
        return new MaxAbsFitter(columns);
      }
    };
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return MaxAbs.fromState(state);
  }

  private static final class MaxAbsFitter implements Fitter<MaxAbs> {
    private final Map<String, Double> max = new LinkedHashMap<>();

    MaxAbsFitter(List<String> columns) {
      columns.forEach(c -> max.put(c, 0.0));
    }

    @Override
    public void accept(Batch batch) {
      max.replaceAll((c, m) -> {
        if (!(batch.column(c) instanceof NumericColumn n)) {
          throw new IllegalArgumentException("column '" + c + "' must be numeric for maxabs");
        }
        double out = m;
        for (double v : n.values()) {
          out = Math.max(out, Math.abs(v));
        }
        return out;
      });
    }

    @Override
    public MaxAbs finish() {
      Map<String, Double> scale = new LinkedHashMap<>();
      max.forEach((c, m) -> scale.put(c, m == 0 ? 1.0 : m));
      return new MaxAbs(scale);
    }
  }

  /** The fitted step. */
  public static final class MaxAbs implements Transformer {
    private final Map<String, Double> scale;

    MaxAbs(Map<String, Double> scale) {
      this.scale = Map.copyOf(scale);
    }

    @Override
    public Batch transform(Batch batch) {
      List<Column> out = new ArrayList<>();
      for (Column c : batch.columns()) {
        Double s = scale.get(c.name());
        if (s == null) {
          out.add(c);
        } else {
          double[] v = ((NumericColumn) c).values().clone();
          for (int i = 0; i < v.length; i++) {
            v[i] /= s;
          }
          out.add(new NumericColumn(c.name(), v));
        }
      }
      return batch.withOnly(out);
    }

    static MaxAbs fromState(Map<String, Object> state) {
      Map<String, Double> scale = new LinkedHashMap<>();
      ((Map<?, ?>) state.get("scale")).forEach((c, v) -> scale.put((String) c, ((Number) v).doubleValue()));
      return new MaxAbs(scale);
    }

    @Override
    public Map<String, Object> toState() {
      return Map.of("type", "maxabs", "scale", new LinkedHashMap<String, Object>(scale));
    }

    @Override
    public Map<String, Preprocessor.Input> reads() {
      Map<String, Preprocessor.Input> in = new LinkedHashMap<>();
      scale.keySet().forEach(c -> in.put(c, new Preprocessor.Input(ColumnType.NUMERIC, false)));
      return in;
    }
  }
}
