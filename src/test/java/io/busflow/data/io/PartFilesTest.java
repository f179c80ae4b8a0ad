package io.busflow.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parts are published whole: joined in order into one file, or moved into place as a directory. */
class PartFilesTest {

  @TempDir
  Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void join_writesThePartsInOrder_replacingTheTarget_andLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.writeString(target, "old\n");
    Path parts = PartFiles.createDirectory(target, true);
    assertTrue(parts.getFileName().toString().startsWith(".out.csv."), "hidden, beside the target: " + parts);
    Files.writeString(parts.resolve(PartFiles.partName(target, 0)), "h\n1\n");
    Files.writeString(parts.resolve(PartFiles.partName(target, 1)), "");
    Files.writeString(parts.resolve(PartFiles.partName(target, 2)), "2\n3\n");
    PartFiles.join(List.of(parts.resolve("part-00000.csv"), parts.resolve("part-00001.csv"),
        parts.resolve("part-00002.csv")), target);
    assertEquals("h\n1\n2\n3\n", Files.readString(target));
    PartFiles.deleteQuietly(parts);
    assertEquals(List.of("out.csv"), names());
  }

  /**
   * Many parts of different sizes (empty ones among them) are joined byte for byte in order, the later ones copied
   * at once at their offsets; what is left of the parts directory is the caller's to delete.
   */
  @Test
  void join_ofManyParts_copiedAtOnce_isTheirBytesInOrder() throws IOException {
    Path target = dir.resolve("out.csv");
    Path parts = PartFiles.createDirectory(target, true);
    java.util.Random random = new java.util.Random(11);
    StringBuilder expected = new StringBuilder();
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < 37; i++) {
      StringBuilder part = new StringBuilder();
      int rows = i % 5 == 3 ? 0 : random.nextInt(20_000);
      for (int r = 0; r < rows; r++) {
        part.append(i).append(',').append(r).append(',').append(random.nextInt()).append('\n');
      }
      Path file = parts.resolve(PartFiles.partName(target, i));
      Files.writeString(file, part);
      files.add(file);
      expected.append(part);
    }
    PartFiles.join(files, target);
    assertEquals(expected.toString(), Files.readString(target));
    PartFiles.deleteQuietly(parts);
    assertEquals(List.of("out.csv"), names(), "no temporary file left");
  }

  /** A part that cannot be read fails the join; the target keeps what it had and no temporary file is left. */
  @Test
  void aJoinThatFails_leavesTheTargetAsItWas() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.writeString(target, "old\n");
    Path parts = PartFiles.createDirectory(target, true);
    Path first = Files.writeString(parts.resolve(PartFiles.partName(target, 0)), "h\n1\n");
    Path missing = parts.resolve(PartFiles.partName(target, 1));
    DataException e = assertThrows(DataException.class, () -> PartFiles.join(List.of(first, missing), target));
    assertTrue(e.getMessage().contains("out.csv"), e.getMessage());
    assertEquals("old\n", Files.readString(target));
    PartFiles.deleteQuietly(parts);
    assertEquals(List.of("out.csv"), names(), "no temporary file left");
  }

  @Test
  void publishDirectory_replacesAnEarlierOutputWhole() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.createDirectories(target);
    Files.writeString(target.resolve("part-00007.csv"), "stale");
    Path parts = PartFiles.createDirectory(target, false);
    Files.writeString(parts.resolve("part-00000.csv"), "h\n1\n");
    PartFiles.publishDirectory(parts, target);
    try (Stream<Path> s = Files.list(target)) {
      assertEquals(List.of("part-00000.csv"), s.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals(List.of("out.csv"), names(), "the earlier output and the parts directory are gone");
  }

  @Test
  void joiningOntoADirectory_failsBeforeAnyPartIsWritten_namingTheRemedy() throws IOException {
    Path target = Files.createDirectories(dir.resolve("out.csv"));
    DataException e = assertThrows(DataException.class, () -> PartFiles.createDirectory(target, true));
    assertTrue(e.getMessage().contains("is a directory") && e.getMessage().contains("output.parts"), e.getMessage());
    assertFalse(names().stream().anyMatch(n -> n.startsWith(".")), "nothing created: " + names());
  }
}
