package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowOrigin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers name each row's file and line, and every operation that keeps rows keeps them, also on the wire. */
class RowOriginTest {

  @TempDir
  Path dir;

  /** The line of each row, read through the batches' origins. */
  private static List<Long> lines(List<Batch> batches) {
    List<Long> out = new ArrayList<>();
    for (Batch b : batches) {
      for (int i = 0; i < b.rowCount(); i++) {
        out.add(b.origin().line(i));
      }
    }
    return out;
  }

  private static List<Batch> readAll(Path f, ReadOptions o) {
    List<Batch> all = new ArrayList<>();
    try (BatchReader r = BatchReaders.open(f, o)) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        all.add(b);
      }
    }
    return all;
  }

  @Test
  void csvRows_carryTheirFileAndLine_acrossQuotedLineBreaksAndSkippedRows() throws IOException {
    Path f = dir.resolve("loans.csv");
    Files.writeString(f, "id,note,x\n1,a,1.5\n2,\"two\nlines\",2.5\n3,b,oops\n4,c,4.5\n5,d,5.5\n");
    List<Batch> batches = readAll(f, ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP).withBatchSize(2));
    assertEquals(List.of(2L, 3L, 6L, 7L), lines(batches), "row 2 spans lines 3-4, line 5 is skipped");
    assertEquals("loans.csv line 6", batches.get(1).describeRow(0));
    assertEquals("loans.csv", batches.get(0).origin().source(), "the file's name, never the server's path");
  }

  @Test
  void jsonLinesRows_carryTheirLine() throws IOException {
    Path f = dir.resolve("events.jsonl");
    Files.writeString(f, "{\"x\":1}\n\n{\"x\":2}\n{\"x\":\"no\"}\n{\"x\":3}\n");
    List<Batch> batches = readAll(f, ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP)
        .withSchema(Schema.of(List.of(new Schema.Field("x", io.busflow.data.ColumnType.NUMERIC)))));
    assertEquals(List.of(1L, 3L, 5L), lines(batches));
  }

  @Test
  void slicesSelectionsTransformsAndTheWire_keepEachRowsLine() {
    RowOrigin origin = RowOrigin.of("f.csv", new long[] {2, 3, 5, 9, 10}, 5);
    Batch b = new Batch(4, 100, 5, List.of(new NumericColumn("x", new double[] {1, 2, 3, 4, 5})), origin);
    assertEquals("f.csv line 5", b.slice(1, 4).describeRow(1));
    assertEquals("f.csv line 9", b.selectRows(new int[] {0, 3}).describeRow(1));
    assertEquals("f.csv line 10", b.withColumns(List.of(new NumericColumn("y", new double[5]))).describeRow(4));
    assertEquals("f.csv line 3", b.drop(Set.of("nothing")).describeRow(1));
    Batch back = BatchSerde.decode(BatchSerde.encode(b));
    assertEquals(origin, back.origin());
    assertEquals("f.csv line 9", back.describeRow(3));
    assertEquals("row 103", new Batch(4, 100, 5, b.columns()).describeRow(3), "without an origin: the stream position");
  }

  @Test
  void consecutiveLines_costOneNumberOnTheWire() {
    int n = 1000;
    long[] lines = new long[n];
    for (int i = 0; i < n; i++) {
      lines[i] = 2 + i;
    }
    Batch plain = Batch.of(new NumericColumn("x", new double[n]));
    Batch withOrigin = new Batch(0, 0, n, plain.columns(), RowOrigin.of("a.csv", lines, n));
    int extra = BatchSerde.encode(withOrigin).length - BatchSerde.encode(plain).length;
    assertTrue(extra < 32, "a name and one line number, not one per row: " + extra + " bytes");
    assertEquals("a.csv line 1001", BatchSerde.decode(BatchSerde.encode(withOrigin)).describeRow(999));
  }

  @Test
  void concat_keepsLinesOfOneSource_andDropsThemAcrossSources() {
    RowOrigin a = RowOrigin.of("f.csv", new long[] {2, 3}, 2);
    RowOrigin b = RowOrigin.of("f.csv", new long[] {7}, 1);
    assertEquals(7L, RowOrigin.concat(List.of(a, b)).line(2));
    assertNull(RowOrigin.concat(List.of(a, RowOrigin.of("g.csv", new long[] {9}, 1))));
  }

  @Test
  void concat_isTheOriginOfAllTheLines_orNullWhenTheyDoNotAscend() {
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 200; round++) {
      List<RowOrigin> parts = new java.util.ArrayList<>();
      List<Long> all = new java.util.ArrayList<>();
      long line = 1 + random.nextInt(5);
      boolean shuffled = round % 4 == 3;
      for (int p = 0; p < 1 + random.nextInt(5); p++) {
        int rows = random.nextInt(4); // empty parts too
        long[] lines = new long[rows];
        for (int r = 0; r < rows; r++) {
          line += round % 2 == 0 ? 1 : 1 + random.nextInt(3); // consecutive lines, or rows skipped and spanning lines
          lines[r] = line;
          all.add(line);
        }
        parts.add(RowOrigin.of("f.csv", lines, rows));
      }
      if (shuffled && parts.size() > 1 && parts.get(0).rows() > 0 && parts.get(parts.size() - 1).rows() > 0) {
        java.util.Collections.swap(parts, 0, parts.size() - 1);
        assertNull(RowOrigin.concat(parts), "lines that do not ascend: " + parts);
        continue;
      }
      long[] lines = all.stream().mapToLong(Long::longValue).toArray();
      RowOrigin joined = RowOrigin.concat(parts);
      assertEquals(RowOrigin.of("f.csv", lines, lines.length), joined, parts.toString());
      for (int r = 0; r < lines.length; r++) {
        assertEquals(lines[r], joined.line(r));
      }
    }
  }

  @Test
  void concat_ofConsecutiveLines_holdsOneNumber() {
    RowOrigin a = RowOrigin.of("f.csv", new long[] {2, 3}, 2);
    RowOrigin b = RowOrigin.of("f.csv", new long[] {4, 5, 6}, 3);
    Batch plain = Batch.of(new NumericColumn("x", new double[5]));
    Batch joined = new Batch(0, 0, 5, plain.columns(), RowOrigin.concat(List.of(RowOrigin.of("f.csv", new long[0], 0),
        a, b)));
    int extra = BatchSerde.encode(joined).length - BatchSerde.encode(plain).length;
    assertTrue(extra < 32, "a name and one line number, not one per row: " + extra + " bytes");
    assertEquals("f.csv line 6", joined.describeRow(4));
  }
}
