package io.busflow.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.busflow.data.io.FixedDecimals;
import io.busflow.data.transform.StateMaps;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * W1's arithmetic as a plain single-threaded loop without actors or batches, the baseline busflow is
 * measured against: FastCSV records in, per row impute → standardize → one-hot → logistic, a buffered
 * writer out, probabilities formatted by the same Python-exact {@link FixedDecimals}. Features are summed
 * in the order of {@code features}, as busflow's model does, so both give the same bits.
 */
final class W1Baseline {

  private final List<String> features;
  private final double[] coef;
  private final double intercept;
  private final double threshold;
  private final Map<String, Object> numeric;

  W1Baseline(Map<String, Object> params) {
    this.features = StateMaps.strings(params, "features");
    Map<String, Object> model = StateMaps.map(params, "model");
    this.coef = StateMaps.doubles(model, "coef");
    this.intercept = StateMaps.number(model, "intercept");
    this.threshold = StateMaps.number(model, "threshold", 0.5);
    this.numeric = StateMaps.map(params, "numeric");
  }

  /** Scores {@code in} into {@code out}; returns the rows scored. */
  long run(Path in, Path out, String idColumn) throws IOException {
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(in);
         Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      Iterator<CsvRecord> it = reader.iterator();
      Plan plan = plan(it.next().getFields(), idColumn);
      w.write("customer_id,probability,prediction\n");
      StringBuilder line = new StringBuilder(64);
      long rows = 0;
      while (it.hasNext()) {
        score(it.next(), plan, line);
        w.append(line);
        rows++;
      }
      return rows;
    }
  }

  /** Where each feature comes from: a column index, and for numbers impute/mean/std, for levels the level. */
  private record Plan(int id, int[] column, double[] impute, double[] mean, double[] std, String[] level) {}

  private Plan plan(List<String> header, String idColumn) {
    int n = features.size();
    int[] col = new int[n];
    double[] impute = new double[n];
    double[] mean = new double[n];
    double[] std = new double[n];
    String[] level = new String[n];
    for (int j = 0; j < n; j++) {
      String f = features.get(j);
      int eq = f.indexOf('=');
      col[j] = header.indexOf(eq < 0 ? f : f.substring(0, eq));
      if (eq < 0) {
        Map<String, Object> p = StateMaps.map(numeric, f);
        impute[j] = StateMaps.number(p, "impute");
        mean[j] = StateMaps.number(p, "mean");
        std[j] = StateMaps.number(p, "std");
      } else {
        level[j] = f.substring(eq + 1);
      }
    }
    return new Plan(header.indexOf(idColumn), col, impute, mean, std, level);
  }

  private void score(CsvRecord r, Plan p, StringBuilder line) {
    double z = intercept;
    for (int j = 0; j < coef.length; j++) {
      String v = r.getField(p.column()[j]);
      double x;
      if (p.level()[j] != null) {
        x = v.equals(p.level()[j]) ? 1.0 : 0.0;
      } else {
        x = ((v.isEmpty() ? p.impute()[j] : Double.parseDouble(v)) - p.mean()[j]) / p.std()[j];
      }
      z += coef[j] * x;
    }
    double prob = 1.0 / (1.0 + Math.exp(-z));
    line.setLength(0);
    line.append(r.getField(p.id())).append(',');
    FixedDecimals.appendTo(line, prob, 6);
    line.append(',').append(prob >= threshold ? '1' : '0').append('\n');
  }
}
