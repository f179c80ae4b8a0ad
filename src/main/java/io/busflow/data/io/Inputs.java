package io.busflow.data.io;

import io.busflow.data.ColumnType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opening input files and settling their schema, shared by the readers. */
final class Inputs {

  private Inputs() {
  }

  /** The bytes of {@code range} of {@code path} (all of it when null), failing as {@link #open(Path)} does. */
  static InputStream open(Path path, ReadOptions.ByteRange range) {
    InputStream in = open(path);
    if (range == null) {
      return in;
    }
    try {
      in.skipNBytes(range.start());
      return new BoundedInputStream(in, range.end() - range.start());
    } catch (IOException e) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the read failure is what matters
      }
      throw readFailed(path, e);
    }
  }

  /** At most {@code limit} bytes of another stream. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      left -= b >= 0 ? 1 : 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }
  }

  /** Opens {@code path} for reading, failing with a message that names it and the remedy. */
  static InputStream open(Path path) {
    if (Files.isDirectory(path)) {
      throw DataException.of(DataException.Kind.BAD_DATA, path,
          path + " is a directory, not a data file; name a .csv, .tsv, .jsonl or .ndjson file", null);
    }
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw DataException.of(DataException.Kind.BAD_DATA, path, path + " is not a regular file (a named pipe,"
          + " device or socket); name a .csv, .tsv, .jsonl or .ndjson file", null);
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw DataException.of(DataException.Kind.NOT_FOUND, path,
          path + " does not exist; check the name and the data directory", e);
    } catch (AccessDeniedException e) {
      throw DataException.of(DataException.Kind.FORBIDDEN, path,
          "cannot read " + path + ": permission denied; make the file readable", e);
    } catch (IOException e) {
      throw readFailed(path, e);
    }
  }

  static DataException readFailed(Path path, IOException e) {
    return DataException.of(DataException.Kind.IO, path, "cannot read " + path + ": " + e.getMessage(), e);
  }

  /**
   * The schema of a file whose columns are {@code names} with inferred {@code guessed} types, after the
   * {@code declared} columns (may be null) override theirs.
   */
  static Schema settle(Path path, List<String> names, List<TypeGuess> guessed, int sampleRows, Schema declared) {
    if (declared != null) {
      for (Schema.Field f : declared.fields()) {
        if (!names.contains(f.name())) {
          throw DataException.badData(path, 0, f.name(), null, "declared column '" + f.name()
              + "' is not in " + path.getFileName() + "; its columns are " + names
              + " (fix the declared schema)");
        }
      }
    }
    List<Schema.Field> fields = new ArrayList<>(names.size());
    java.util.Map<String, String> reasons = new java.util.HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int d = declared == null ? -1 : declared.indexOf(name);
      fields.add(new Schema.Field(name, d >= 0 ? declared.field(d).type() : guessed.get(i).result()));
      reasons.put(name, d >= 0 ? "declared" : guessed.get(i).reason(sampleRows));
    }
    return Schema.of(fields).withReasons(reasons);
  }
}
