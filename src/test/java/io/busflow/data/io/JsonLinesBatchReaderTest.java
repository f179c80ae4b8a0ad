package io.busflow.data.io;

import static io.busflow.data.ColumnType.BOOLEAN;
import static io.busflow.data.ColumnType.NUMERIC;
import static io.busflow.data.ColumnType.STRING;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesBatchReaderTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void goodLines_inferTypesAndKeepMissingValues() throws IOException {
    Path p = file("g.jsonl", "{\"x\": 1.5, \"ok\": true, \"city\": \"Zürich\", \"tags\": [1, 2]}\n"
        + "\n"
        + "{\"x\": null, \"ok\": false, \"city\": null}\n"
        + "{\"city\": \"日本\", \"x\": 3, \"extra\": {\"a\": 1}}\n");
    try (BatchReader r = BatchReaders.open(p)) {
      assertEquals(Schema.of("x", NUMERIC, "ok", BOOLEAN, "city", STRING, "tags", STRING, "extra", STRING),
          r.schema());
      Batch b = r.next();
      assertArrayEquals(new double[] {1.5, Double.NaN, 3}, b.numeric("x").values());
      assertArrayEquals(new byte[] {1, 0, BooleanColumn.MISSING}, b.booleans("ok").values());
      assertArrayEquals(new String[] {"Zürich", null, "日本"}, b.strings("city").values());
      assertArrayEquals(new String[] {"[1,2]", null, null}, b.strings("tags").values());
      assertArrayEquals(new String[] {null, null, "{\"a\":1}"}, b.strings("extra").values());
      assertNull(r.next());
      assertEquals(3, r.rowsRead());
    }
  }

  @Test
  void aLineOverMaxRecordChars_isABadRowNamingLineAndLimit_andTheLinesAfterItAreRead() throws IOException {
    Path p = file("long.jsonl", "{\"x\": 1, \"s\": \"a\"}\r\n"
        + "{\"x\": 2, \"s\": \"" + "y".repeat(100_000) + "\"}\r\n"
        + "{\"x\": 3, \"s\": \"c\"}\n");
    ReadOptions o = ReadOptions.defaults().withMaxFieldChars(1000).withMaxRecordChars(5000);
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, o));
    assertTrue(e.getMessage().contains("long.jsonl line 2, has 100017 characters, more than the 5000 a line may have "
        + "(read.maxRecordChars)"), e.getMessage());
    try (BatchReader r = BatchReaders.open(p, o.withBadRows(BadRowPolicy.SKIP))) {
      Batch b = r.next();
      assertArrayEquals(new double[] {1, 3}, b.numeric("x").values());
      assertArrayEquals(new String[] {"a", "c"}, b.strings("s").values());
      assertNull(r.next());
      assertEquals(3, r.rowsRead());
      assertEquals(1, r.rowsRejected());
      assertEquals(2, r.rejections().get(0).line());
    }
  }

  @Test
  void badLines_withSkipPolicy_areRejectedWithLineNumbers() throws IOException {
    Path p = file("b.ndjson", "{\"x\": 1}\n"
        + "{\"x\": 2\n"
        + "[1, 2]\n"
        + "{\"x\": \"three\"}\n"
        + "{\"x\": 4} {\"x\": 5}\n"
        + "{\"x\": 6}\n");
    ReadOptions o = ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP).withSampleRows(1);
    try (BatchReader r = BatchReaders.open(p, o)) {
      Batch b = r.next();
      assertArrayEquals(new double[] {1, 6}, b.numeric("x").values());
      assertEquals(List.of(2L, 3L, 4L, 5L), r.rejections().stream().map(Rejection::line).toList());
      assertTrue(r.rejections().get(0).reason().startsWith("is not valid JSON"), r.rejections().toString());
      assertEquals("is not a JSON object", r.rejections().get(1).reason());
      assertEquals("column 'x': 'three' is not a number", r.rejections().get(2).reason());
      assertEquals(6, r.rowsRead());
      assertEquals(r.rowsRead(), r.rowsPassed() + r.rowsRejected());
    }
  }

  @Test
  void missingTokens_areMissingForJsonStrings_numbersAndNullsAsBefore() throws IOException {
    Path p = file("na.jsonl", "{\"x\": \"NA\", \"s\": \"NA\", \"b\": \"NA\"}\n"
        + "{\"x\": 2, \"s\": \"a\", \"b\": true}\n"
        + "{\"x\": \"NA\", \"s\": null, \"b\": false}\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults().withMissing(List.of("NA")));
    assertArrayEquals(new double[] {Double.NaN, 2, Double.NaN}, b.numeric("x").values());
    assertArrayEquals(new String[] {null, "a", null}, b.strings("s").values());
    assertEquals(BooleanColumn.MISSING, b.booleans("b").values()[0]);
    // without them the strings outnumber the numbers: text
    assertEquals(STRING, BatchReaders.readAll(p, ReadOptions.defaults()).column("x").type());
  }

  @Test
  void malformedLine_withFailPolicy_namesFileAndLine() throws IOException {
    Path p = file("m.jsonl", "{\"x\": 1}\n{\"x\": 1,,}\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertTrue(e.getMessage().startsWith("m.jsonl line 2, is not valid JSON"), e.getMessage());
    assertEquals(2, e.line());
  }

  @Test
  void aNumberPastTheDoublesRange_isABadRowNamingLineColumnAndValue_asInACsv() throws IOException {
    Path p = file("r.jsonl", "{\"x\": 1.5}\n{\"x\": 1e400}\n{\"x\": -2e308}\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertTrue(e.getMessage().startsWith("r.jsonl line 2, column 'x': '1e400' is not a number"), e.getMessage());
    Path csv = file("r.csv", "x\n1.5\n2.5\n1e400\n");
    DataException c = assertThrows(DataException.class, () -> BatchReaders.readAll(csv, ReadOptions.defaults()));
    assertTrue(c.getMessage().startsWith("r.csv line 4, column 'x': '1e400' is not a number"), c.getMessage());
  }

  @Test
  void wrongTypeForDeclaredBoolean_failsNamingColumnAndValue() throws IOException {
    Path p = file("t.jsonl", "{\"ok\": true}\n{\"ok\": \"yes\"}\n");
    ReadOptions o = ReadOptions.defaults().withSchema(Schema.of("ok", BOOLEAN));
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, o));
    assertEquals("t.jsonl line 2, column 'ok': 'yes' is not a boolean (true/false)"
        + " (declare the column as string, list the value in the read option 'missing' if it stands for a missing"
        + " value, or use badRows=skip)", e.getMessage());
  }

  @Test
  void invalidUtf8Line_withSkipPolicy_isRejected() throws IOException {
    byte[] bad = "{\"s\": \"ok\"}\n{\"s\": \"caf\u00e9\"}\n{\"s\": \"fine\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    Path p = Files.write(dir.resolve("u.jsonl"), bad);
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP))) {
      assertArrayEquals(new String[] {"ok", "fine"}, r.next().strings("s").values());
      assertEquals(2, r.rejections().get(0).line());
      assertTrue(r.rejections().get(0).reason().contains("invalid UTF-8"));
    }
  }

  @Test
  void emptyFile_hasNoColumnsAndNoRows() throws IOException {
    Path p = file("e.jsonl", "");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertEquals(0, b.rowCount());
    assertEquals(List.of(), b.columnNames());
  }
}
