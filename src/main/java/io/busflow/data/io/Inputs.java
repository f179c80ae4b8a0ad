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

  /** Opens {@code path} for reading, failing with a message that names it and the remedy. */
  static InputStream open(Path path) {
    if (Files.isDirectory(path)) {
      throw DataException.of(DataException.Kind.BAD_DATA, path,
          path + " is a directory, not a data file; name a .csv, .tsv, .jsonl or .ndjson file", null);
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
  static Schema settle(Path path, List<String> names, List<ColumnType> guessed, Schema declared) {
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
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int d = declared == null ? -1 : declared.indexOf(name);
      fields.add(new Schema.Field(name, d >= 0 ? declared.field(d).type() : guessed.get(i)));
    }
    return Schema.of(fields);
  }
}
