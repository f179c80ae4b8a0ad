package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingReadTest {

  @TempDir
  Path dir;

  @Test
  void millionRows_streamInBatchesOfTenThousandWithContinuousPositions() throws IOException {
    int rows = 1_000_000;
    Path p = dir.resolve("big.csv");
    try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      w.write("id,x,label,flag\n");
      for (int i = 0; i < rows; i++) {
        w.write(i + "," + (i * 0.25) + ",c" + (i % 7) + "," + (i % 2 == 0) + "\n");
      }
    }
    ReadOptions o = ReadOptions.defaults().withBatchSize(10_000);
    long expectedFirstRow = 0;
    long batches = 0;
    try (BatchReader r = BatchReaders.open(p, o)) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        assertEquals(batches, b.index());
        assertEquals(expectedFirstRow, b.firstRow());
        assertEquals(10_000, b.rowCount());
        assertEquals(expectedFirstRow, (long) b.numeric("id").get(0));
        expectedFirstRow += b.rowCount();
        batches++;
        assertEquals(r.rowsRead(), r.rowsPassed() + r.rowsRejected());
      }
      assertEquals(rows, r.rowsRead());
      assertEquals(rows, r.rowsPassed());
    }
    assertEquals(100, batches);
  }

  @Test
  void skippedRows_leaveIndexAndFirstRowContinuous() throws IOException {
    StringBuilder sb = new StringBuilder("id,v\n");
    for (int i = 0; i < 25; i++) {
      sb.append(i).append(',').append(i % 3 == 0 ? "bad" : String.valueOf(i)).append('\n');
    }
    Path p = Files.writeString(dir.resolve("s.csv"), sb);
    ReadOptions o = ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP).withBatchSize(4)
        .withSchema(Schema.of("v", io.busflow.data.ColumnType.NUMERIC));
    long firstRow = 0;
    long index = 0;
    try (BatchReader r = BatchReaders.open(p, o)) {
      for (Batch b = r.next(); b != null; b = r.next()) {
        assertEquals(index++, b.index());
        assertEquals(firstRow, b.firstRow());
        assertEquals(r.rowsPassed(), firstRow + b.rowCount());
        assertEquals(r.rowsRead(), r.rowsPassed() + r.rowsRejected());
        for (int i = 0; i < b.rowCount(); i++) {
          assertTrue(b.numeric("v").get(i) % 3 != 0);
        }
        firstRow += b.rowCount();
      }
      assertEquals(9, r.rowsRejected());
      assertEquals(16, r.rowsPassed());
      assertEquals(4, index);
    }
  }
}
