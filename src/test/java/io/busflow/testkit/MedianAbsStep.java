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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's step whose fit keeps every value, registered by the tests' {@code META-INF/services}: {@code
 * {"medianabs": {"column": "x"}}} divides a column by the median of its absolute values (1 when that is 0). Its
 * fitter says what it keeps ({@link Fitter#keptBytes}: 8 bytes a value, as its array grows), so the node counts it
 * against {@code fitMaxBytes}. Written only against the public step SPI, as a plugin would be.
 */
public final class MedianAbsStep implements StepType {

  @Override
  public String name() {
    return "medianabs";
  }

  @Override
  public Step parse(Object body, String at) {
    String column = SpecReader.of(body, at, name() + " steps", List.of("column")).string("column", null);
    if (column == null) {
      throw new IllegalArgumentException(at + ".column: missing; name the column to scale");
    }
    return new Step() {
      @Override
      public List<String> reads() {
        return List.of(column);
      }

      @Override
      public boolean touches(String c) {
        return c.equals(column);
      }

      @Override
      public Fitter<? extends Transformer> fitter() {
        return new Keeper(column);
      }
    };
  }

  @Override
  public Transformer load(Map<String, Object> state) {
    return new Divide((String) state.get("column"), ((Number) state.get("median")).doubleValue());
  }

  private static final class Keeper implements Fitter<Divide> {
    private final String column;
    private double[] kept = new double[1024];
    private int n;

    Keeper(String column) {
      this.column = column;
    }

    @Override
    public void accept(Batch batch) {
      if (!(batch.column(column) instanceof NumericColumn c)) {
        throw new IllegalArgumentException("column '" + column + "' must be numeric for medianabs");
      }
      for (double v : c.values()) {
        if (n == kept.length) {
          kept = Arrays.copyOf(kept, 2 * n);
        }
        kept[n++] = Math.abs(v);
      }
    }

    @Override
    public long keptBytes() {
      return 8L * kept.length;
    }

    @Override
    public Divide finish() {
      double[] v = Arrays.copyOf(kept, n);
      Arrays.sort(v);
      double m = n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      return new Divide(column, m == 0 ? 1 : m);
    }
  }

  private record Divide(String column, double median) implements Transformer {
    @Override
    public Batch transform(Batch batch) {
      List<Column> out = new ArrayList<>();
      for (Column c : batch.columns()) {
        if (!c.name().equals(column)) {
          out.add(c);
          continue;
        }
        double[] v = ((NumericColumn) c).values().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] /= median;
        }
        out.add(new NumericColumn(column, v));
      }
      return batch.withOnly(out);
    }

    @Override
    public Map<String, Object> toState() {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("type", "medianabs");
      s.put("column", column);
      s.put("median", median);
      return s;
    }

    @Override
    public Map<String, Preprocessor.Input> reads() {
      return Map.of(column, new Preprocessor.Input(ColumnType.NUMERIC, false));
    }
  }
}
