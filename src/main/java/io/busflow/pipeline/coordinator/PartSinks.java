package io.busflow.pipeline.coordinator;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.StringColumn;
import io.busflow.data.io.BatchWriter;
import io.busflow.data.io.BatchWriters;
import io.busflow.data.io.PartFiles;
import io.busflow.data.io.WriteOptions;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The output of a scoring pass: one part file per piece, written by the piece runners ({@link PieceRun}) in a
 * hidden directory beside the target — each attempt at a piece its own file, so that a part left by a run given
 * up never mixes with the one kept. {@link #commit} publishes the kept parts all at once — one piece moved onto
 * the target, more joined in piece order (the first with the header line), or with {@code output.parts} moved into
 * place as the directory {@code target/part-00000.csv …}, each part with its header — and {@link #abort()}
 * deletes every part: nothing partial is ever visible at the target. Confined to the coordinator's context.
 */
final class PartSinks {

  private final JobContext ctx;
  private final Path target;
  private final boolean directory;
  private final WriteOptions options;
  private final Path dir;

  private PartSinks(JobContext ctx, Path target, boolean directory, WriteOptions options, Path dir) {
    this.ctx = ctx;
    this.target = target;
    this.directory = directory;
    this.options = options;
    this.dir = dir;
  }

  /** Creates the hidden directory of the parts of {@code target}. */
  static Future<PartSinks> open(JobContext ctx, Path target, boolean directory, WriteOptions options) {
    return ctx.executor.executeBlocking(() -> PartFiles.createDirectory(target, !directory), true)
        .map(dir -> new PartSinks(ctx, target, directory, options, dir));
  }

  /**
   * Where attempt {@code attempt} of piece {@code piece} writes its part, as the runners' output roots resolve it:
   * beside the output path the pipeline names, in the hidden directory.
   */
  String part(int piece, int attempt) {
    Path shown = Path.of(ctx.def.output().path()).resolveSibling(dir.getFileName().toString());
    return shown.resolve(fileName(piece, attempt)).toString();
  }

  /** Whether the part of {@code piece} starts with a header line: each of a directory's, else the first one's. */
  boolean header(int piece) {
    return options.header() && (directory || piece == 0);
  }

  private String fileName(int piece, int attempt) {
    String part = PartFiles.partName(target, piece);
    // a target without an extension is a device such as /dev/stdout, written as CSV
    String name = part.indexOf('.') < 0 ? part + ".csv" : part;
    if (attempt == 0) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name + "-" + attempt : name.substring(0, dot) + "-" + attempt + name.substring(dot);
  }

  /** Publishes the parts that {@code done} (in piece order) names; completes with the rows written. */
  Future<Long> commit(List<PieceProtocol.Done> done) {
    return ctx.executor.executeBlocking(() -> publish(done), true);
  }

  private Long publish(List<PieceProtocol.Done> done) throws IOException {
    long total = 0;
    List<Path> parts = new ArrayList<>();
    for (PieceProtocol.Done d : done) {
      total += d.rowsWritten();
      parts.add(dir.resolve(fileName(d.piece(), d.attempt())));
    }
    List<String> columns = done.stream().map(PieceProtocol.Done::columns).filter(c -> !c.isEmpty()).findFirst()
        .orElse(List.of());
    if (directory) {
      publishDirectory(done, parts, columns);
    } else {
      publishFile(done, parts, columns);
    }
    return total;
  }

  private void publishDirectory(List<PieceProtocol.Done> done, List<Path> parts, List<String> columns)
      throws IOException {
    Set<Path> kept = new HashSet<>();
    for (int p = 0; p < parts.size(); p++) {
      Path canonical = dir.resolve(fileName(p, 0));
      if (!parts.get(p).equals(canonical)) {
        Files.move(parts.get(p), canonical, StandardCopyOption.REPLACE_EXISTING);
      }
      if (done.get(p).rowsWritten() == 0 && !columns.isEmpty()) {
        writeHeader(canonical, columns); // a part without rows still names the columns, like every other part
      }
      kept.add(canonical);
    }
    deleteOthers(kept);
    PartFiles.publishDirectory(dir, target);
  }

  private void publishFile(List<PieceProtocol.Done> done, List<Path> parts, List<String> columns) {
    List<Path> joined = new ArrayList<>();
    if (header(0) && done.get(0).columns().isEmpty() && !columns.isEmpty()) {
      joined.add(writeHeader(dir.resolve("header-" + PartFiles.partName(target, 0)), columns));
    }
    joined.addAll(parts);
    if (joined.size() == 1) {
      PartFiles.publish(joined.get(0), target);
    } else {
      PartFiles.join(joined, target);
    }
    PartFiles.deleteQuietly(dir);
  }

  private void deleteOthers(Set<Path> kept) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!kept.contains(f)) {
          PartFiles.deleteQuietly(f);
        }
      }
    }
  }

  /** A file of the header line alone (nothing for a format without one). */
  private Path writeHeader(Path file, List<String> columns) {
    List<Column> cols = new ArrayList<>();
    columns.forEach(c -> cols.add(new StringColumn(c, new String[0])));
    try (BatchWriter w = BatchWriters.open(file, options.withHeader(true))) {
      w.write(new Batch(0, 0, 0, cols));
      w.commit();
    }
    return file;
  }

  /** Drops every part; never fails. */
  Future<Void> abort() {
    return ctx.executor.executeBlocking(() -> {
      PartFiles.deleteQuietly(dir);
      return (Void) null;
    }, true).recover(t -> Future.succeededFuture());
  }
}
