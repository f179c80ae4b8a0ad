package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** busflow's CSV writer quotes exactly as FastCSV's writer does by default (an independent implementation). */
class CsvQuotingTest {

  @TempDir
  Path dir;

  private static final String[] TRICKY = {"", "plain", "a,b", "q\"uote", "line\nbreak", "cr\rhere", "#hash",
      " space ", "ü€😀", "\"", "tab\tx", "x;y", null};

  @Test
  void trickyTextInFirstAndLaterColumns_isWrittenByteForByteAsFastCsvWritesIt() throws IOException {
    String[] swapped = TRICKY.clone();
    java.util.Collections.reverse(java.util.Arrays.asList(swapped));
    Batch b = Batch.of(new StringColumn("first", TRICKY), new StringColumn("#second", swapped),
        new NumericColumn("n", new double[] {0, 1.5, -2, Double.NaN, 1e20, 3, 4, 5, 6, 7, 8, 9, 10}));
    Path target = dir.resolve("t.csv");
    try (BatchWriter w = BatchWriters.open(target)) {
      w.write(b);
      w.commit();
    }
    assertEquals(fastCsv(b), Files.readString(target, StandardCharsets.UTF_8));
  }

  private static String fastCsv(Batch b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CsvWriter w = CsvWriter.builder().fieldSeparator(',').lineDelimiter(LineDelimiter.LF)
        .build(bytes, StandardCharsets.UTF_8);
    w.writeRecord(b.columnNames());
    for (int r = 0; r < b.rowCount(); r++) {
      String[] row = new String[b.columns().size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = b.columns().get(c).text(r);
      }
      w.writeRecord(row);
    }
    w.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
