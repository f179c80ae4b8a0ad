package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact splits: the records of the ranges, read on their own, are those of the whole file with its lines. */
class SplitPlannerTest {

  private static final Schema TEXT = Schema.of(List.of(new Schema.Field("a", ColumnType.STRING),
      new Schema.Field("b", ColumnType.STRING), new Schema.Field("c", ColumnType.STRING)));

  @TempDir
  Path dir;

  @Test
  void randomCsvWithQuotedNewlinesCommasAndQuotes_splitsReadLikeTheWholeFile() throws IOException {
    Random random = new Random(20261205);
    for (int round = 0; round < 300; round++) {
      Path f = dir.resolve("r" + round + ".csv");
      Files.writeString(f, randomCsv(random, 1 + random.nextInt(60)), StandardCharsets.UTF_8);
      int parts = 1 + random.nextInt(8);
      ReadOptions options = ReadOptions.defaults().withSchema(TEXT).withSampleRows(1 + random.nextInt(4))
          .withBadRows(BadRowPolicy.SKIP).withBatchSize(1 + random.nextInt(7));
      int chunk = 1 + random.nextInt(40);
      List<ReadOptions.ByteRange> ranges = SplitPlanner.plan(f, options, parts, 0, chunk);
      assertCovers(f, ranges);
      assertEquals(SplitPlanner.plan(f, options, parts, 0), ranges, "the chunks of the pre-pass change nothing");
      assertEquals(records(f, List.of(options)), records(f, pieces(options, ranges)),
          "round " + round + ", " + parts + " parts, chunks of " + chunk + " bytes, ranges " + ranges + ":\n"
              + Files.readString(f));
    }
  }

  @Test
  void jsonLines_splitAtEveryLineFeed_withTheFilesLineNumbers() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      sb.append(i % 17 == 0 ? "\n" : "").append("{\"a\":\"").append(i).append("\",\"b\":\"x,\\\"y\\n\",\"c\":\"")
          .append(i % 3).append("\"}\n");
    }
    Path f = dir.resolve("f.jsonl");
    Files.writeString(f, sb.toString());
    ReadOptions options = ReadOptions.defaults().withSchema(TEXT).withBatchSize(33).withSampleRows(10);
    List<ReadOptions.ByteRange> ranges = SplitPlanner.plan(f, options, 5, 0);
    assertEquals(5, ranges.size(), ranges.toString());
    assertCovers(f, ranges);
    assertEquals(records(f, List.of(options)), records(f, pieces(options, ranges)));
  }

  @Test
  void smallFile_isOneRange_andTheFirstRangeHoldsTheSample() throws IOException {
    Path f = dir.resolve("s.csv");
    StringBuilder sb = new StringBuilder("a,b,c\n");
    for (int i = 0; i < 1000; i++) {
      sb.append(i).append(",x,y\n");
    }
    Files.writeString(f, sb.toString());
    ReadOptions options = ReadOptions.defaults().withSampleRows(600);
    assertEquals(List.of(new ReadOptions.ByteRange(0, Files.size(f), 1)),
        SplitPlanner.plan(f, options, 4, Files.size(f) + 1), "below minBytes");
    List<ReadOptions.ByteRange> ranges = SplitPlanner.plan(f, options, 4, 0);
    assertEquals(sb.indexOf("600,x,y\n"), ranges.get(0).end(), "the header and 600 sample rows: " + ranges);
    assertEquals(602, ranges.get(1).firstLine());
    assertEquals(3, ranges.size(), "the nominal cut inside the sample is dropped: " + ranges);
  }

  private static String randomCsv(Random r, int rows) {
    StringBuilder sb = new StringBuilder("a,b,c").append(r.nextBoolean() ? "\r\n" : "\n");
    for (int i = 0; i < rows; i++) {
      if (r.nextInt(10) == 0) {
        sb.append('\n');
      }
      sb.append(i).append(',').append(field(r)).append(',').append(field(r));
      if (r.nextInt(15) == 0) {
        sb.append(",extra");
      }
      sb.append(r.nextInt(4) == 0 ? "\r\n" : "\n");
    }
    return sb.toString();
  }

  private static String field(Random r) {
    String[] parts = {"x", ",", "\"", "\n", "\r\n", "é", " ", "yz"};
    StringBuilder v = new StringBuilder();
    for (int k = r.nextInt(5); k > 0; k--) {
      v.append(parts[r.nextInt(parts.length)]);
    }
    String s = v.toString();
    boolean needs = s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r");
    if (!needs && r.nextInt(3) == 0) {
      return r.nextBoolean() ? "\"" + s + "\"" : "5'1" + "0\"x";
    }
    return needs ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static List<ReadOptions> pieces(ReadOptions options, List<ReadOptions.ByteRange> ranges) {
    List<ReadOptions> out = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      out.add(options.withRange(ranges.get(i)));
    }
    return out;
  }

  private static void assertCovers(Path f, List<ReadOptions.ByteRange> ranges) throws IOException {
    long at = 0;
    for (ReadOptions.ByteRange r : ranges) {
      assertEquals(at, r.start(), ranges.toString());
      assertTrue(r.end() > r.start() || ranges.size() == 1, "no empty range: " + ranges);
      at = r.end();
    }
    assertEquals(Files.size(f), at);
  }

  /** Every row read, in order, with its line and values; then every rejection, with its line and reason. */
  private static List<String> records(Path f, List<ReadOptions> reads) {
    List<String> out = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (ReadOptions o : reads) {
      try (BatchReader reader = BatchReaders.open(f, o)) {
        for (Batch b = reader.next(); b != null; b = reader.next()) {
          for (int i = 0; i < b.rowCount(); i++) {
            out.add(b.origin().line(i) + ": " + b.column("a").text(i) + "|" + b.column("b").text(i) + "|"
                + b.column("c").text(i));
          }
        }
        reader.rejections().forEach(x -> rejected.add(x.line() + " rejected: " + x.reason()));
      }
    }
    out.addAll(rejected);
    return out;
  }
}
