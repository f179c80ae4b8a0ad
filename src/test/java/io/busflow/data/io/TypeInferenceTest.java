package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One odd value among the sampled rows does not make a numeric column text: it is a bad row, named by
 * line and value, that {@code badRows: skip} skips — as the same value after the sample is.
 */
class TypeInferenceTest {

  @TempDir
  Path dir;

  /** 20 rows of {@code id,income}; line 6 (the 5th data row) holds {@code odd} as its income. */
  private Path table(String odd) throws IOException {
    StringBuilder sb = new StringBuilder("id,income\n");
    for (int i = 1; i <= 20; i++) {
      sb.append('r').append(i).append(',').append(i == 5 ? odd : String.valueOf(1000 + i)).append('\n');
    }
    return Files.writeString(dir.resolve("t.csv"), sb.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Infinity", "1e309", "\"1,000\"", "１２３", "income", "n/a", "-inf"})
  void oddValueInTheSample_keepsTheColumnNumeric_andIsABadRowNamingLineAndValue(String odd) throws IOException {
    Path p = table(odd);
    try (BatchReader r = BatchReaders.open(p)) {
      assertEquals(ColumnType.NUMERIC, r.schema().type("income"), r.schema().reason("income"));
      assertTrue(r.schema().reason("income").contains("line 2: '1001'"), r.schema().reason("income"));
    }
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertEquals(6, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("t.csv") && e.getMessage().contains("income")
        && e.getMessage().contains("badRows"), e.getMessage());
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP))) {
      long rows = 0;
      for (Batch b = r.next(); b != null; b = r.next()) {
        rows += b.rowCount();
      }
      assertEquals(19, rows);
      assertEquals(6, r.rejections().get(0).line());
    }
  }

  @Test
  void aTextColumn_namesTheLineAndValueThatMadeItText() throws IOException {
    Path p = Files.writeString(dir.resolve("c.csv"), "id,city\n1,\n2,12\n3,Paris\n4,Lyon\n");
    try (BatchReader r = BatchReaders.open(p)) {
      assertEquals(ColumnType.STRING, r.schema().type("city"));
      assertTrue(r.schema().reason("city").contains("line 4: 'Paris' is not a number"), r.schema().reason("city"));
    }
  }

  @Test
  void aDeclaredColumn_saysSo_andAnEmptyOneSaysItHadNoValue() throws IOException {
    Path p = Files.writeString(dir.resolve("e.csv"), "id,none\n1,\n2,\n");
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withSchema(Schema.of("id", ColumnType.STRING)))) {
      assertEquals("declared", r.schema().reason("id"));
      assertTrue(r.schema().reason("none").startsWith("no value in the first"), r.schema().reason("none"));
    }
  }
}
