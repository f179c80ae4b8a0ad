package io.busflow.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A small synthetic churn table for pipeline tests, made in Java so that tests need no Python: columns
 * {@code customer_id,age,income,country,is_active,churned}; age and income have missing values, the label
 * follows a logistic rule with noise. Deterministic for a seed.
 */
public final class ChurnData {

  private static final String[] COUNTRIES = {"FR", "DE", "ES"};

  private ChurnData() {}

  /** Writes {@code rows} rows to {@code file}; {@code extraCountry} adds rows with a level unseen in training. */
  public static Path write(Path file, int rows, long seed, String extraCountry) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("customer_id,age,income,country,is_active,churned\n");
    for (int i = 0; i < rows; i++) {
      int age = 18 + r.nextInt(70);
      double income = Math.round(Math.exp(10.5 + 0.5 * r.nextGaussian()) * 100) / 100.0;
      String country = extraCountry != null && i % 10 == 9 ? extraCountry : COUNTRIES[r.nextInt(3)];
      int active = r.nextDouble() < 0.55 ? 1 : 0;
      double z = -0.3 + 0.04 * (age - 50) - 1.1 * active + (country.equals("DE") ? 0.7 : 0) + r.nextGaussian() * 0.5;
      int churned = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      sb.append(String.format(Locale.ROOT, "C%05d,%s,%s,%s,%d,%d%n", i, r.nextDouble() < 0.05 ? "" : age,
          r.nextDouble() < 0.05 ? "" : String.format(Locale.ROOT, "%.2f", income), country, active, churned));
    }
    Files.writeString(file, sb.toString());
    return file;
  }
}
