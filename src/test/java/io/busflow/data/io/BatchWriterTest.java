package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchWriterTest {

  @TempDir
  Path dir;

  private static Batch sample() {
    return Batch.of(
        new NumericColumn("x", new double[] {1, -2.5, Double.NaN, 1e-7, 123456789.125}),
        new StringColumn("s", new String[] {"Zürich", "a,b", null, "say \"hi\"\nbye", "日本語 🚀"}),
        new BooleanColumn("ok", new byte[] {1, 0, BooleanColumn.MISSING, 1, 0}));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void write(Path target, Batch... batches) {
    try (BatchWriter w = BatchWriters.open(target)) {
      for (Batch b : batches) {
        w.write(b);
      }
      w.commit();
    }
  }

  @Test
  void csvRoundTrip_keepsValuesMissingValuesAndUnicode() {
    Path p = dir.resolve("out.csv");
    write(p, sample());
    assertEquals(sample(), BatchReaders.readAll(p, ReadOptions.defaults()));
  }

  @Test
  void jsonLinesRoundTrip_keepsValuesMissingValuesAndUnicode() {
    Path p = dir.resolve("out.jsonl");
    write(p, sample());
    assertEquals(sample(), BatchReaders.readAll(p, ReadOptions.defaults()));
  }

  @Test
  void csv_hasHeaderLfLineEndsAndRowsOfEveryBatch() throws IOException {
    Path p = dir.resolve("two.csv");
    Batch b = Batch.of(new NumericColumn("n", new double[] {1, 2}));
    write(p, b, b.withPosition(1, 2));
    assertEquals("n\n1\n2\n1\n2\n", Files.readString(p));
  }

  @Test
  void fixedDecimals_areAppliedToTheNamedNumericColumn() throws IOException {
    Path p = dir.resolve("pred.csv");
    Batch b = Batch.of(new NumericColumn("id", new double[] {1, 2}),
        new NumericColumn("probability", new double[] {1.0 / 128, Double.NaN}));
    try (BatchWriter w = BatchWriters.open(p, WriteOptions.defaults().withDecimals("probability", 6))) {
      w.write(b);
      w.commit();
    }
    assertEquals("id,probability\n1,0.007812\n2,\n", Files.readString(p));
  }

  @Test
  void jsonLines_writesNullForMissingAndFixedDecimalsAsNumbers() throws IOException {
    Path p = dir.resolve("pred.jsonl");
    Batch b = Batch.of(new NumericColumn("p", new double[] {0.5, Double.NaN}),
        new StringColumn("s", new String[] {null, "x"}));
    try (BatchWriter w = BatchWriters.open(p, WriteOptions.defaults().withDecimals(2))) {
      w.write(b);
      w.commit();
    }
    assertEquals("{\"p\":0.50,\"s\":null}\n{\"p\":null,\"s\":\"x\"}\n", Files.readString(p));
  }

  @Test
  void beforeCommit_targetDoesNotExist_andCommitLeavesOnlyTheTarget() throws IOException {
    Path p = dir.resolve("out.csv");
    try (BatchWriter w = BatchWriters.open(p)) {
      w.write(sample());
      assertFalse(Files.exists(p), "no file at the target before commit");
      w.commit();
    }
    assertEquals(List.of("out.csv"), listing(dir));
  }

  @Test
  void abort_andCloseWithoutCommit_leaveNoFileAndKeepAnExistingTarget() throws IOException {
    Path p = dir.resolve("out.csv");
    try (BatchWriter w = BatchWriters.open(p)) {
      w.write(sample());
      w.abort();
    }
    try (BatchWriter w = BatchWriters.open(dir.resolve("other.jsonl"))) {
      w.write(sample());
    }
    assertEquals(List.of(), listing(dir));
    Files.writeString(p, "old\n");
    try (BatchWriter w = BatchWriters.open(p)) {
      w.write(sample());
    }
    assertEquals("old\n", Files.readString(p));
    assertEquals(List.of("out.csv"), listing(dir));
  }

  @Test
  void batchWithOtherColumns_isRefusedNamingBoth() {
    try (BatchWriter w = BatchWriters.open(dir.resolve("o.csv"))) {
      w.write(sample());
      Batch other = Batch.of(new NumericColumn("y", new double[] {1}));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(other));
      assertTrue(e.getMessage().contains("[y]") && e.getMessage().contains("[x, s, ok]"), e.getMessage());
    }
  }

  @Test
  void missingOutputDirectory_failsNamingItAndTheRemedy() {
    Path p = dir.resolve("no/such/dir/out.csv");
    DataException e = assertThrows(DataException.class, () -> BatchWriters.open(p));
    assertEquals(DataException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains(p.getParent().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist; create it"), e.getMessage());
  }

  @Test
  void readOnlyDirectory_failsAsForbidden() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse("root".equals(System.getProperty("user.name")),
          "root ignores directory permissions; unwritableDirectory_failsAsForbidden covers it with /sys");
      DataException e = assertThrows(DataException.class, () -> BatchWriters.open(ro.resolve("out.csv")));
      assertEquals(DataException.Kind.FORBIDDEN, e.kind());
      assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void unwritableDirectory_failsAsForbidden() {
    Path sys = Path.of("/sys");
    assumeTrue(Files.isDirectory(sys),
        "needs /sys, which the kernel keeps unwritable even for root");
    Path p = sys.resolve("busflow-out.csv");
    DataException e = assertThrows(DataException.class, () -> BatchWriters.open(p));
    assertEquals(DataException.Kind.FORBIDDEN, e.kind());
    assertTrue(e.getMessage().startsWith("cannot write /sys/busflow-out.csv: /sys is not writable"),
        e.getMessage());
  }

  @Test
  void diskFull_failsNamingThePathAndTheRemedy() {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full), "needs /dev/full");
    BatchWriter w = BatchWriters.open(full);
    w.write(sample());
    DataException e = assertThrows(DataException.class, w::commit);
    assertEquals(DataException.Kind.IO, e.kind());
    assertEquals("cannot write /dev/full: no space left on device; free some space or choose another"
        + " output directory", e.getMessage());
  }
}
