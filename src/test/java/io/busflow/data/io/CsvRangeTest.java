package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a CSV file in pieces gives the rows, and the line numbers, of reading it whole. */
class CsvRangeTest {

  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    Path p = dir.resolve("f.csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static String rows(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(i).append(',').append(i % 3 == 0 ? "" : Double.toString(i / 4.0)).append(",c").append(i % 5)
          .append('\n');
    }
    return sb.toString();
  }

  /** The start of each piece: byte offsets just after the line feed ending line {@code afterLines[i]}. */
  private static long[] offsets(byte[] bytes, int... afterLines) {
    long[] out = new long[afterLines.length];
    int line = 0;
    int k = 0;
    for (int i = 0; i < bytes.length && k < out.length; i++) {
      if (bytes[i] == '\n' && ++line == afterLines[k]) {
        out[k++] = i + 1;
      }
    }
    return out;
  }

  @Test
  void piecesReadOnTheirOwn_giveTheRowsOfTheWholeFile_withTheFilesLineNumbers() throws IOException {
    Path f = write("id,x,c\n" + rows(0, 100) + "oops\n" + rows(100, 250));
    ReadOptions skip = ReadOptions.defaults().withBadRows(BadRowPolicy.SKIP).withBatchSize(40);
    Batch whole = BatchReaders.readAll(f, skip);
    long[] cut = offsets(Files.readAllBytes(f), 80, 180);
    long size = Files.size(f);
    List<Batch> parts = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    try (BatchReader head = BatchReaders.open(f, skip.withRange(new ReadOptions.ByteRange(0, cut[0], 1)))) {
      Schema schema = head.schema();
      parts.add(readAll(head, rejected));
      ReadOptions piece = skip.withHeader(false).withSchema(schema);
      parts.add(readPiece(f, piece.withRange(new ReadOptions.ByteRange(cut[0], cut[1], 81)), rejected));
      parts.add(readPiece(f, piece.withRange(new ReadOptions.ByteRange(cut[1], size, 181)), rejected));
    }
    assertEquals(whole.numeric("id").values().length, parts.stream().mapToInt(Batch::rowCount).sum());
    int at = 0;
    for (Batch p : parts) {
      for (int i = 0; i < p.rowCount(); i++, at++) {
        assertEquals(whole.column("x").text(at), p.column("x").text(i), "row " + at);
        assertEquals(whole.column("c").text(at), p.column("c").text(i), "row " + at);
      }
    }
    assertEquals(List.of(102L), rejected.stream().map(Rejection::line).toList(), "the file's line of 'oops'");
  }

  private static Batch readPiece(Path f, ReadOptions o, List<Rejection> rejected) {
    try (BatchReader r = BatchReaders.open(f, o)) {
      return readAll(r, rejected);
    }
  }

  private static Batch readAll(BatchReader r, List<Rejection> rejected) {
    List<Batch> all = new ArrayList<>();
    for (Batch b = r.next(); b != null; b = r.next()) {
      all.add(b);
    }
    rejected.addAll(r.rejections());
    int n = all.stream().mapToInt(Batch::rowCount).sum();
    Batch first = all.get(0);
    List<io.busflow.data.Column> cols = new ArrayList<>();
    for (String name : first.columnNames()) {
      String[] text = new String[n];
      int k = 0;
      for (Batch b : all) {
        for (int i = 0; i < b.rowCount(); i++) {
          text[k++] = b.column(name).text(i);
        }
      }
      cols.add(new io.busflow.data.StringColumn(name, text));
    }
    return new Batch(0, 0, n, cols);
  }

  @Test
  void badValueInAPiece_underFailPolicy_namesTheFilesLine() throws IOException {
    Path f = write("id,x,c\n" + rows(0, 50) + "50,abc,c0\n" + rows(51, 60));
    long[] cut = offsets(Files.readAllBytes(f), 31);
    Schema schema;
    try (BatchReader head = BatchReaders.open(f, ReadOptions.defaults().withRange(new ReadOptions.ByteRange(0, cut[0], 1)))) {
      schema = head.schema();
    }
    ReadOptions piece = ReadOptions.defaults().withHeader(false).withSchema(schema)
        .withRange(new ReadOptions.ByteRange(cut[0], Files.size(f), 32));
    DataException e = assertThrows(DataException.class, () -> readPiece(f, piece, new ArrayList<>()));
    assertEquals(52, e.line());
    assertTrue(e.getMessage().contains("line 52") && e.getMessage().contains("abc"), e.getMessage());
  }
}
