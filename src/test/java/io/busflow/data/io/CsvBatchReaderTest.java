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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvBatchReaderTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Path bytes(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private static ReadOptions skip() {
    return ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP);
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void aFieldOverMaxFieldChars_rejectsItsRowNamingLineColumnAndLimit() throws IOException {
    Path p = file("long.csv", "id,country\n1,FR\n2," + "x".repeat(5000) + "\n3,DE\n");
    DataException e = assertThrows(DataException.class, () -> {
      try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withMaxFieldChars(1000))) {
        while (r.next() != null) {
          // read all
        }
      }
    });
    assertMentions(e.getMessage(), "line 3", "column 'country'", "5000 characters", "limit of 1000", "maxFieldChars");
    try (BatchReader r = BatchReaders.open(p, skip().withMaxFieldChars(1000))) {
      int rows = 0;
      for (var b = r.next(); b != null; b = r.next()) {
        rows += b.rowCount();
      }
      assertEquals(2, rows);
    }
  }

  @Test
  void missingTokens_areMissingInEveryColumnType_andProveNothingForInference() throws IOException {
    // 'NA' in most sampled rows of 'income' would make it text without the tokens; '-999' is a number otherwise
    Path p = file("na.csv", "id,income,score,ok,city\n"
        + "1,NA,-999,NA,NA\n"
        + "2,NA,3.5,true,Paris\n"
        + "3,1200,-999.0,false,?\n"
        + "4,NA,-999,?,Lyon\n"
        + "5,900,2,true,NA \n");
    ReadOptions o = ReadOptions.defaults().withMissing(List.of("NA", "?", "-999"));
    try (BatchReader r = BatchReaders.open(p, o)) {
      assertEquals(NUMERIC, r.schema().field(1).type());
      assertEquals(NUMERIC, r.schema().field(2).type());
      assertEquals(BOOLEAN, r.schema().field(3).type());
      assertEquals(STRING, r.schema().field(4).type());
      Batch b = r.next();
      assertArrayEquals(new double[] {Double.NaN, Double.NaN, 1200, Double.NaN, 900}, b.numeric("income").values());
      // exact text: '-999' and '-999.0' differ, as the tokens are texts, not numbers
      assertArrayEquals(new double[] {Double.NaN, 3.5, -999.0, Double.NaN, 2}, b.numeric("score").values());
      assertEquals(BooleanColumn.MISSING, b.booleans("ok").values()[0]);
      assertEquals(BooleanColumn.MISSING, b.booleans("ok").values()[3]);
      // matched exactly: 'NA ' with its space is a value
      assertArrayEquals(new String[] {null, "Paris", null, "Lyon", "NA "}, b.strings("city").values());
      assertEquals(5, r.rowsPassed());
    }
  }

  @Test
  void missingTokens_holdInAPieceReadOnItsOwn() throws IOException {
    Path p = file("piece.csv", "x,y\n1,a\nNA,b\n3,NA\n");
    long start = "x,y\n1,a\n".length();
    ReadOptions o = ReadOptions.defaults().withMissing(List.of("NA"))
        .withSchema(Schema.of(List.of(new Schema.Field("x", NUMERIC), new Schema.Field("y", STRING))))
        .withRange(new ReadOptions.ByteRange(start, Files.size(p), 3));
    Batch b = BatchReaders.readAll(p, o);
    assertArrayEquals(new double[] {Double.NaN, 3}, b.numeric("x").values());
    assertArrayEquals(new String[] {"b", null}, b.strings("y").values());
  }

  @Test
  void missingTokens_areBounded() {
    ReadOptions d = ReadOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withMissing(List.of("")));
    assertThrows(IllegalArgumentException.class, () -> d.withMissing(List.of("x".repeat(257))));
    assertThrows(IllegalArgumentException.class,
        () -> d.withMissing(java.util.Collections.nCopies(101, "NA")));
  }

  @Test
  void emptyFile_failsSayingItHasNoHeader() throws IOException {
    Path p = file("empty.csv", "");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.open(p));
    assertMentions(e.getMessage(), "empty.csv", "empty, no header");
  }

  @Test
  void headerOnly_givesSchemaAndNoRows() throws IOException {
    Path p = file("h.csv", "a,b\n");
    try (BatchReader r = BatchReaders.open(p)) {
      assertEquals(List.of("a", "b"), r.schema().names());
      assertNull(r.next());
      assertEquals(0, r.rowsRead());
    }
    Batch all = BatchReaders.readAll(p, ReadOptions.defaults());
    assertEquals(0, all.rowCount());
    assertEquals(List.of("a", "b"), all.columnNames());
  }

  @Test
  void inference_numbersBooleansStringsAndEmptyColumn() throws IOException {
    Path p = file("t.csv", "n,flag,s,bits,none\n1.5,TRUE,x,0,\n,false,2,1,\nNaN,True,y,1,\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertEquals(Schema.of("n", NUMERIC, "flag", BOOLEAN, "s", STRING, "bits", NUMERIC, "none", STRING),
        schemaOf(p));
    assertArrayEquals(new double[] {1.5, Double.NaN, Double.NaN}, b.numeric("n").values());
    assertArrayEquals(new byte[] {1, 0, 1}, b.booleans("flag").values());
    assertArrayEquals(new String[] {"x", "2", "y"}, b.strings("s").values());
    assertArrayEquals(new String[] {null, null, null}, b.strings("none").values());
  }

  private static Schema schemaOf(Path p) {
    try (BatchReader r = BatchReaders.open(p)) {
      return r.schema();
    }
  }

  @Test
  void columnAllMissing_isStringWithEveryValueMissing() throws IOException {
    Path p = file("m.csv", "id,empty\n1,\n2,\n3,\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertEquals(STRING, b.column("empty").type());
    for (int i = 0; i < 3; i++) {
      assertTrue(b.column("empty").isMissing(i));
    }
  }

  @Test
  void declaredSchema_overridesInferencePerColumn() throws IOException {
    Path p = file("d.csv", "zip,amount\n01234,5\n99999,6\n");
    ReadOptions o = ReadOptions.defaults().withSchema(Schema.of("zip", STRING));
    Batch b = BatchReaders.readAll(p, o);
    assertArrayEquals(new String[] {"01234", "99999"}, b.strings("zip").values());
    assertArrayEquals(new double[] {5, 6}, b.numeric("amount").values());
  }

  @Test
  void declaredSchema_namingAnAbsentColumn_failsListingTheColumns() throws IOException {
    Path p = file("d.csv", "a,b\n1,2\n");
    ReadOptions o = ReadOptions.defaults().withSchema(Schema.of("c", STRING));
    DataException e = assertThrows(DataException.class, () -> BatchReaders.open(p, o));
    assertMentions(e.getMessage(), "'c'", "[a, b]");
  }

  @Test
  void textInNumericColumn_withFailPolicy_namesFileLineColumnValueAndRemedy() throws IOException {
    StringBuilder sb = new StringBuilder("id,income\n");
    for (int i = 0; i < 20; i++) {
      sb.append(i).append(',').append(i * 10).append('\n');
    }
    sb.append("20,abc\n");
    Path p = file("churn.csv", sb.toString());
    ReadOptions o = ReadOptions.defaults().withSampleRows(5);
    try (BatchReader r = BatchReaders.open(p, o)) {
      DataException e = assertThrows(DataException.class, r::next);
      assertEquals("churn.csv line 22, column 'income': 'abc' is not a number"
          + " (declare the column as string, list the value in the read option 'missing' if it stands for a missing"
          + " value, or use badRows=skip)", e.getMessage());
      assertEquals(22, e.line());
      assertEquals("income", e.column());
      assertEquals("abc", e.value());
      assertEquals(r.rowsRead(), r.rowsPassed() + r.rowsRejected());
    }
  }

  @Test
  void textInNumericColumn_withSkipPolicy_isCountedWithLineNumber() throws IOException {
    Path p = file("s.csv", "x\n1\n2\n3\n");
    ReadOptions o = skip().withSchema(Schema.of("x", NUMERIC)).withSampleRows(1);
    Path q = file("t.csv", "x\n1\noops\n3\n");
    Batch b = BatchReaders.readAll(p, o);
    assertEquals(3, b.rowCount());
    try (BatchReader r = BatchReaders.open(q, o)) {
      Batch only = r.next();
      assertArrayEquals(new double[] {1, 3}, only.numeric("x").values());
      assertEquals(3, r.rowsRead());
      assertEquals(2, r.rowsPassed());
      assertEquals(1, r.rowsRejected());
      assertEquals(List.of(new Rejection(3, "column 'x': 'oops' is not a number")), r.rejections());
    }
  }

  @Test
  void numbersPastTheSample_areTheValuesParseDoubleGives_quotedOrNot() throws IOException {
    String[] texts = {"0", "-0", "7", "12.5", "-3.25", ".5", "5.", "\"42\"", "1e3", "-2.5E-3", "NaN", "nan", "",
        "123456789012345", "1234567890123456", "12345678901234567.5", "0.1", "0.30000000000000004", " 8 ",
        "4.9e-324", "2.4703282292062328e-324", "-0e0", "1e-400", "1E+2", "3.14159265358979323846264338327950288",
        "1.7976931348623157e308", "\"-2.5e-3\""};
    StringBuilder csv = new StringBuilder("id,x,label\n");
    for (int i = 0; i < texts.length; i++) {
      csv.append(i).append(',').append(texts[i]).append(",a\n");
    }
    Path p = file("n.csv", csv.toString());
    ReadOptions o = ReadOptions.defaults().withSchema(Schema.of("x", NUMERIC)).withSampleRows(1).withBatchSize(3);
    double[] got = new double[texts.length];
    int at = 0;
    try (BatchReader r = BatchReaders.open(p, o)) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        for (double v : b.numeric("x").values()) {
          got[at++] = v;
        }
        for (String label : b.strings("label").values()) {
          assertEquals("a", label, "text columns beside parsed numbers");
        }
      }
    }
    assertEquals(texts.length, at);
    for (int i = 0; i < texts.length; i++) {
      String t = texts[i].replace("\"", "").trim();
      double want = t.isEmpty() || t.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(t);
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]), "value of '" + texts[i] + "'");
    }
  }

  @Test
  void invalidBoolean_withSkipPolicy_isRejected() throws IOException {
    Path p = file("b.csv", "ok\ntrue\nfalse\nyes\n");
    ReadOptions o = skip().withSchema(Schema.of("ok", BOOLEAN));
    try (BatchReader r = BatchReaders.open(p, o)) {
      assertArrayEquals(new byte[] {1, 0}, r.next().booleans("ok").values());
      assertEquals(List.of(new Rejection(4, "column 'ok': 'yes' is not a boolean (true/false)")),
          r.rejections());
    }
  }

  @Test
  void raggedRow_withFailPolicy_namesLineAndFieldCounts() throws IOException {
    Path p = file("r.csv", "a,b\n1,2\n3\n4,5\n");
    try (BatchReader r = BatchReaders.open(p)) {
      DataException e = assertThrows(DataException.class, r::next);
      assertMentions(e.getMessage(), "r.csv line 3", "has 1 fields, the header has 2", "badRows=skip");
      assertEquals(3, e.line());
    }
  }

  @Test
  void raggedRow_withSkipPolicy_isCountedWithLineNumber() throws IOException {
    Path p = file("r.csv", "a,b\n1,2\n3\n4,5,6\n7,8\n");
    try (BatchReader r = BatchReaders.open(p, skip())) {
      Batch b = r.next();
      assertArrayEquals(new double[] {1, 7}, b.numeric("a").values());
      assertNull(r.next());
      assertEquals(4, r.rowsRead());
      assertEquals(2, r.rowsRejected());
      assertEquals(3, r.rejections().get(0).line());
      assertEquals(4, r.rejections().get(1).line());
      assertMentions(r.rejections().get(1).reason(), "has 3 fields, the header has 2");
    }
  }

  @Test
  void unbalancedQuote_failsWithTheLineWhereTheFieldStarted_evenWhenSkipping() throws IOException {
    Path p = file("q.csv", "a,b\n1,2\n3,\"four\n5,6\n7,8\n");
    DataException e = assertThrows(DataException.class, () -> {
      try (BatchReader r = BatchReaders.open(p, skip())) {
        r.next();
      }
    });
    assertMentions(e.getMessage(), "q.csv line 3", "never closed", "unbalanced quote");
    assertEquals(3, e.line());
  }

  @Test
  void quoteFollowedByText_failsWithLine() throws IOException {
    Path p = file("q.csv", "a,b\n1,2\n\"x\"y,2\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, skip()));
    assertMentions(e.getMessage(), "q.csv line 3", "after closing quote");
  }

  @Test
  void quotedFields_keepEmbeddedDelimiterQuoteAndNewline() throws IOException {
    Path p = file("e.csv", "id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n");
    try (BatchReader r = BatchReaders.open(p, skip())) {
      Batch b = r.next();
      assertArrayEquals(new String[] {"a,b", "say \"hi\"", "two\nlines", "plain"},
          b.strings("text").values());
      assertEquals(0, r.rowsRejected());
    }
  }

  @Test
  void lineNumbers_countPhysicalLinesAfterAnEmbeddedNewline() throws IOException {
    Path p = file("e.csv", "id,text\n1,\"two\nlines\"\nx,y\n");
    ReadOptions o = skip().withSchema(Schema.of("id", NUMERIC));
    try (BatchReader r = BatchReaders.open(p, o)) {
      r.next();
      assertEquals(4, r.rejections().get(0).line());
    }
  }

  @Test
  void crlfLineEnds_areReadLikeLf() throws IOException {
    Path p = file("w.csv", "a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n3,w\r\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertArrayEquals(new double[] {1, 2, 3}, b.numeric("a").values());
    assertArrayEquals(new String[] {"x", "y\r\nz", "w"}, b.strings("b").values());
  }

  @Test
  void byteOrderMark_isStrippedFromTheFirstHeaderName() throws IOException {
    Path p = file("bom.csv", "\uFEFFid,name\n1,x\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertEquals(List.of("id", "name"), b.columnNames());
    assertArrayEquals(new double[] {1}, b.numeric("id").values());
  }

  @Test
  void byteOrderMarkBeforeAQuotedHeader_isStripped() throws IOException {
    Path p = file("bom.csv", "\uFEFF\"id\",name\n1,x\n");
    assertEquals(List.of("id", "name"), BatchReaders.readAll(p, ReadOptions.defaults()).columnNames());
  }

  @Test
  void tabAndSemicolonDelimiters() throws IOException {
    Path tsv = file("t.tsv", "a\tb\n1,5\tx;y\n");
    Batch t = BatchReaders.readAll(tsv, ReadOptions.defaults());
    assertArrayEquals(new String[] {"1,5"}, t.strings("a").values());
    Path semi = file("s.csv", "a;b\n1,5;x\n");
    Batch s = BatchReaders.readAll(semi, ReadOptions.defaults().withDelimiter(';'));
    assertArrayEquals(new String[] {"1,5"}, s.strings("a").values());
    assertArrayEquals(new String[] {"x"}, s.strings("b").values());
  }

  @Test
  void noHeader_namesColumnsByPositionOrByDeclaredSchema() throws IOException {
    Path p = file("n.csv", "1,x\n2,y\n");
    Batch plain = BatchReaders.readAll(p, ReadOptions.defaults().withHeader(false));
    assertEquals(List.of("column1", "column2"), plain.columnNames());
    assertEquals(2, plain.rowCount());
    Batch named = BatchReaders.readAll(p, ReadOptions.defaults().withHeader(false)
        .withSchema(Schema.of("id", STRING, "code", STRING)));
    assertArrayEquals(new String[] {"1", "2"}, named.strings("id").values());
  }

  @Test
  void invalidUtf8_withFailPolicy_namesLineAndByteOffset() throws IOException {
    byte[] content = "a,b\n1,ok\n2,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path p = bytes("latin1.csv", content);
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertMentions(e.getMessage(), "latin1.csv line 3", "invalid UTF-8 at byte offset 14", "iconv");
    assertEquals(3, e.line());
  }

  @Test
  void invalidUtf8_withSkipPolicy_rejectsOnlyThatRow() throws IOException {
    byte[] content = "a,b\n1,ok\n2,caf\u00e9\n3,\"multi\nline \u00e9\"\n4,fine\u00fc\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    content[content.length - 2] = (byte) 'u';
    Path p = bytes("latin1.csv", content);
    try (BatchReader r = BatchReaders.open(p, skip())) {
      Batch b = r.next();
      assertArrayEquals(new double[] {1, 4}, b.numeric("a").values());
      assertEquals(List.of(3L, 4L), r.rejections().stream().map(Rejection::line).toList());
      assertMentions(r.rejections().get(0).reason(), "invalid UTF-8");
    }
  }

  @Test
  void validUtf8_multibyteAndReplacementCharacter_isKept() throws IOException {
    Path p = file("u.csv", "s\nZürich\n日本語 🚀\n\uFFFD\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertArrayEquals(new String[] {"Zürich", "日本語 🚀", "\uFFFD"}, b.strings("s").values());
  }

  @Test
  void binaryGarbage_failsCleanlyWithADataException() throws IOException {
    byte[] garbage = new byte[200_000];
    new java.util.Random(42).nextBytes(garbage);
    Path p = bytes("random.csv", garbage);
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertMentions(e.getMessage(), "random.csv");
    assertEquals(DataException.Kind.BAD_DATA, e.kind());
  }

  @Test
  void tenMegabyteField_isReadableUnderARaisedMaxFieldChars_andRefusedByDefault() throws IOException {
    String big = "x".repeat(10 * 1024 * 1024);
    Path p = file("big.csv", "id,blob\n1,\"" + big + "\"\n2,small\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, ReadOptions.defaults()));
    assertMentions(e.getMessage(), "line 2", "column 'blob'", "limit of 1048576", "maxFieldChars");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults().withMaxFieldChars(16 * 1024 * 1024));
    assertEquals(big.length(), b.strings("blob").get(0).length());
    assertEquals("small", b.strings("blob").get(1));
  }

  @Test
  void aRecordOverMaxRecordChars_stopsTheReadNamingLineAndLimit_beforeTheParserHoldsIt() throws IOException {
    Path p = file("huge.csv", "id,blob\n1,ok\n2,\"" + "x".repeat(50_000) + "\"\n3,ok\n");
    ReadOptions o = skip().withMaxFieldChars(100).withMaxRecordChars(10_000);
    DataException e = assertThrows(DataException.class, () -> BatchReaders.readAll(p, o));
    assertMentions(e.getMessage(), "huge.csv line 3", "a record longer than 10000 characters",
        "read.maxRecordChars", "whatever the bad-row policy");
    // within the record bound, a field over maxFieldChars is a bad row, which badRows=skip skips
    try (BatchReader r = BatchReaders.open(p, skip().withMaxFieldChars(100).withMaxRecordChars(60_000))) {
      while (r.next() != null) {
        // read all
      }
      assertEquals(3, r.rowsRead());
      assertEquals(1, r.rowsRejected());
    }
    // by default 16 Mi characters, or the field bound when that is more; as set when set
    assertEquals(16 * 1024 * 1024, ReadOptions.defaults().maxRecordChars());
    assertEquals(20_000_000, ReadOptions.defaults().withMaxFieldChars(20_000_000).maxRecordChars());
    assertEquals(100, ReadOptions.defaults().withMaxRecordChars(100).withMaxFieldChars(20_000).maxRecordChars());
  }

  @Test
  void longTexts_makeShorterBatches_withinMaxRecordChars() throws IOException {
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 0; i < 50; i++) {
      csv.append(i).append(',').append("x".repeat(100)).append('\n');
    }
    Path p = file("notes.csv", csv.toString());
    List<Integer> sizes = new ArrayList<>();
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withMaxRecordChars(1000).withBatchSize(1000))) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        sizes.add(b.rowCount());
      }
    }
    // 100 characters of text a row: a batch ends at the row that takes it to 1000
    assertEquals(List.of(10, 10, 10, 10, 10), sizes);
  }

  @Test
  void aWideFile_isReadInBatchesOfAtMostMaxBatchCells() throws IOException {
    int columns = 1000;
    StringBuilder csv = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      csv.append(c == 0 ? "" : ",").append('c').append(c);
    }
    String row = "\n" + "1,".repeat(columns - 1) + "1";
    csv.append(row.repeat(5000)).append('\n');
    Path p = file("wide.csv", csv.toString());
    List<Integer> sizes = new ArrayList<>();
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withBatchSize(10_000))) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        sizes.add(b.rowCount());
      }
    }
    int most = ReadOptions.MAX_BATCH_CELLS / columns;
    assertEquals(List.of(most, 5000 - most), sizes, "not 10,000 rows of 1,000 columns at once");
  }

  @Test
  void theSampleForInference_stopsAtMaxRecordChars() throws IOException {
    StringBuilder csv = new StringBuilder("id,code,note\n");
    for (int i = 0; i < 30; i++) {
      // the first 10 rows hold 102 characters each, and a number in 'code'; the 11th row holds text there
      csv.append(i % 10).append(',').append(i < 10 ? "7" : "abc").append(',').append("x".repeat(100)).append('\n');
    }
    Path p = file("codes.csv", csv.toString());
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults())) {
      assertEquals(STRING, r.schema().field(1).type(), "the whole file sampled");
    }
    try (BatchReader r = BatchReaders.open(p, ReadOptions.defaults().withMaxRecordChars(1000))) {
      assertEquals(NUMERIC, r.schema().field(1).type(), "10 rows sampled, 1020 characters");
    }
  }

  @Test
  void missingFile_failsAsNotFound() {
    Path p = dir.resolve("nope.csv");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.open(p));
    assertEquals(DataException.Kind.NOT_FOUND, e.kind());
    assertMentions(e.getMessage(), "nope.csv", "does not exist");
  }

  @Test
  void unknownExtension_failsNamingTheKnownOnes() throws IOException {
    Path p = file("x.txt", "a\n1\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.open(p));
    assertMentions(e.getMessage(), "x.txt", ".csv", ".jsonl");
  }

  @Test
  void duplicateHeaderName_failsNamingIt() throws IOException {
    Path p = file("dup.csv", "a,b,a\n1,2,3\n");
    DataException e = assertThrows(DataException.class, () -> BatchReaders.open(p));
    assertMentions(e.getMessage(), "dup.csv line 1", "'a' twice");
  }

  @Test
  void missingValues_areNaNNullAndMissingBoolean() throws IOException {
    Path p = file("mv.csv", "n,s,b\n1,x,true\n,,\n");
    Batch b = BatchReaders.readAll(p, ReadOptions.defaults());
    assertTrue(Double.isNaN(b.numeric("n").get(1)));
    assertNull(b.strings("s").get(1));
    assertEquals(BooleanColumn.MISSING, b.booleans("b").values()[1]);
  }

  @Test
  void manyBadRows_withSkipPolicy_keepTheFirstHundredAndCountAll() throws IOException {
    StringBuilder sb = new StringBuilder("a,b\n");
    for (int i = 0; i < 150; i++) {
      sb.append("1,2,3\n").append("4,5\n");
    }
    Path p = file("many.csv", sb.toString());
    try (BatchReader r = BatchReaders.open(p, skip())) {
      assertEquals(150, r.next().rowCount());
      assertEquals(150, r.rowsRejected());
      assertEquals(300, r.rowsRead());
      assertEquals(BatchReader.MAX_KEPT_REJECTIONS, r.rejections().size());
      assertEquals(2, r.rejections().get(0).line());
      assertEquals(200, r.rejections().get(99).line());
    }
  }
}
