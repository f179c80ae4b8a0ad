package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootsTest {

  @TempDir
  Path tmp;

  Path data;
  Path bench;
  Path outside;
  DataRoots roots;

  @BeforeEach
  void setUp() throws IOException {
    data = Files.createDirectory(tmp.resolve("data"));
    bench = Files.createDirectories(tmp.resolve("target/bench"));
    outside = Files.createDirectory(tmp.resolve("secret"));
    Files.writeString(outside.resolve("passwd"), "root:x\n");
    roots = new DataRoots("data roots", List.of(data, bench));
  }

  private DataException refused(String value) {
    DataException e = assertThrows(DataException.class, () -> roots.resolveExisting(value));
    assertEquals(DataException.Kind.FORBIDDEN, e.kind(), e.getMessage());
    return e;
  }

  @Test
  void dotDot_isRefusedNamingTheValueAndTheRoots() {
    DataRoots asConfigured = new DataRoots("data roots", List.of(Path.of("data"), Path.of("target/bench")));
    DataException e = assertThrows(DataException.class, () -> asConfigured.resolveExisting("../etc/passwd"));
    assertEquals("'../etc/passwd' is outside the data roots [data, target/bench]; put the file under one"
        + " of them", e.getMessage());
    assertEquals(DataException.Kind.FORBIDDEN, e.kind());
  }

  @Test
  void dotDotThatStaysInside_isStillRefused() throws IOException {
    Files.createDirectory(data.resolve("sub"));
    Files.writeString(data.resolve("a.csv"), "x\n");
    refused("sub/../a.csv");
  }

  @Test
  void absolutePathOutsideTheRoots_isRefused() {
    refused(outside.resolve("passwd").toString());
    refused("/etc/passwd");
  }

  @Test
  void absolutePathInsideARoot_isAccepted() throws IOException {
    Path f = Files.writeString(bench.resolve("w1.csv"), "x\n");
    assertEquals(f.toRealPath(), roots.resolveExisting(f.toString()));
  }

  @Test
  void siblingDirectorySharingTheRootsPrefix_isRefused() throws IOException {
    Path sibling = Files.createDirectory(tmp.resolve("data2"));
    Files.writeString(sibling.resolve("x.csv"), "x\n");
    refused(sibling.resolve("x.csv").toString());
  }

  @Test
  void symlinkLeadingOutOfARoot_isRefused() throws IOException {
    Files.createSymbolicLink(data.resolve("link.csv"), outside.resolve("passwd"));
    Files.createSymbolicLink(data.resolve("linkdir"), outside);
    DataException e = refused("link.csv");
    assertTrue(e.getMessage().startsWith("'link.csv' is outside the data roots"), e.getMessage());
    refused("linkdir/passwd");
  }

  @Test
  void symlinkBetweenRoots_isAccepted() throws IOException {
    Path real = Files.writeString(bench.resolve("real.csv"), "x\n");
    Files.createSymbolicLink(data.resolve("alias.csv"), real);
    assertEquals(real.toRealPath(), roots.resolveExisting("alias.csv"));
  }

  @Test
  void relativePath_isLookedUpInTheRootsInOrder() throws IOException {
    Path inBench = Files.writeString(bench.resolve("only-in-bench.csv"), "x\n");
    assertEquals(inBench.toRealPath(), roots.resolveExisting("only-in-bench.csv"));
    Path inData = Files.writeString(data.resolve("only-in-bench.csv"), "y\n");
    assertEquals(inData.toRealPath(), roots.resolveExisting("only-in-bench.csv"));
  }

  @Test
  void absentFile_isNotFoundNamingTheRoots() {
    DataException e = assertThrows(DataException.class, () -> roots.resolveExisting("nope.csv"));
    assertEquals(DataException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().startsWith("'nope.csv' was not found under the data roots ["), e.getMessage());
  }

  @Test
  void output_resolvesUnderTheFirstRootAndRefusesEscapes() throws IOException {
    DataRoots out = new DataRoots("output roots", List.of(bench));
    assertEquals(bench.toRealPath().resolve("pred.csv"), out.resolveForWrite("pred.csv"));
    assertThrows(DataException.class, () -> out.resolveForWrite("../pred.csv"));
    assertThrows(DataException.class, () -> out.resolveForWrite(outside.resolve("pred.csv").toString()));
    Files.createSymbolicLink(bench.resolve("escape"), outside);
    DataException e = assertThrows(DataException.class, () -> out.resolveForWrite("escape/pred.csv"));
    assertEquals(DataException.Kind.FORBIDDEN, e.kind());
    Files.createSymbolicLink(bench.resolve("trap.csv"), outside.resolve("passwd"));
    assertThrows(DataException.class, () -> out.resolveForWrite("trap.csv"));
  }

  @Test
  void output_inAMissingDirectory_isNotFound() {
    DataRoots out = new DataRoots("output roots", List.of(bench));
    DataException e = assertThrows(DataException.class, () -> out.resolveForWrite("no/dir/pred.csv"));
    assertEquals(DataException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("create it first"), e.getMessage());
  }

  @Test
  void namedPipe_isRefusedAtOnceAsBadData() throws Exception {
    Path fifo = data.resolve("feed.csv");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mk.waitFor(), "mkfifo");
    DataException e = assertThrows(DataException.class, () -> roots.resolveExisting("feed.csv"));
    assertEquals(DataException.Kind.BAD_DATA, e.kind(), e.getMessage());
    assertTrue(e.getMessage().startsWith("'feed.csv' is not a regular file (a named pipe, device or socket)"),
        e.getMessage());
    DataException direct = assertThrows(DataException.class, () -> Inputs.open(fifo).close());
    assertEquals(DataException.Kind.BAD_DATA, direct.kind(), direct.getMessage());
  }

  @Test
  void deviceAndDirectory_areRefusedAsBadData() throws IOException {
    Files.createDirectory(data.resolve("dir.csv"));
    DataException dir = assertThrows(DataException.class, () -> roots.resolveExisting("dir.csv"));
    assertEquals(DataException.Kind.BAD_DATA, dir.kind());
    assertTrue(dir.getMessage().startsWith("'dir.csv' is a directory; name a regular data file"), dir.getMessage());
    DataRoots dev = new DataRoots("data roots", List.of(Path.of("/dev")));
    DataException zero = assertThrows(DataException.class, () -> dev.resolveExisting("zero"));
    assertEquals(DataException.Kind.BAD_DATA, zero.kind(), zero.getMessage());
  }

  @Test
  void display_namesTheRootAsConfiguredPlusThePathInsideIt() throws IOException {
    Files.createDirectories(Path.of("target", "roots-test"));
    DataRoots relative = new DataRoots("output roots", List.of(Path.of("target/roots-test")));
    Path resolved = relative.resolveForWrite("x.csv");
    assertTrue(resolved.isAbsolute(), resolved.toString());
    assertEquals("target/roots-test/x.csv", relative.display(resolved));
    assertEquals(data.resolve("sub/y.csv").toString(), roots.display(data.resolve("sub/y.csv")));
    assertEquals("passwd", roots.display(outside.resolve("passwd")));
  }

  @Test
  void shown_isTheNameAskedFor_orTheRootAndPathForAnAbsoluteOne() throws IOException {
    Files.createDirectories(Path.of("target", "roots-test"));
    DataRoots relative = new DataRoots("data roots", List.of(Path.of("target/roots-test")));
    Path file = Files.writeString(Path.of("target/roots-test/s.csv"), "a\n1\n");
    assertEquals("s.csv", relative.shown("s.csv", relative.resolveExisting("s.csv")));
    String absolute = file.toAbsolutePath().toString();
    assertEquals("target/roots-test/s.csv", relative.shown(absolute, relative.resolveExisting(absolute)));
  }

  @Test
  void redact_replacesTheServersAbsolutePathOfARelativeRoot() throws IOException {
    Files.createDirectories(Path.of("target", "roots-test"));
    new DataRoots("output roots", List.of(Path.of("target/roots-test")));
    Path real = Path.of("target/roots-test").toRealPath();
    assertEquals("cannot write target/roots-test/a.csv: target/roots-test is not writable",
        DataRoots.redact("cannot write " + real.resolve("a.csv") + ": " + real + " is not writable"));
    assertEquals("nothing to hide", DataRoots.redact("nothing to hide"));
  }
}
