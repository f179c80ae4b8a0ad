package io.busflow.data.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.io.IOException;
import java.util.List;

/**
 * Writes JSON Lines with jackson-core: one object per row, keys in column order, a missing value as
 * {@code null}, booleans as JSON booleans, numbers as JSON numbers (with the configured decimals) except
 * infinities, which JSON cannot hold and are written as the strings {@code "Infinity"}/{@code "-Infinity"}.
 */
final class JsonLinesBatchWriter extends AbstractBatchWriter {

  private static final JsonFactory JSON = new JsonFactory();

  private final JsonGenerator json;
  private String[] names;

  JsonLinesBatchWriter(OutputFile file, WriteOptions options) {
    super(file, options);
    try {
      this.json = JSON.createGenerator(file.stream(), JsonEncoding.UTF8);
    } catch (IOException e) {
      file.abort();
      throw file.failure(e);
    }
    json.setRootValueSeparator(null);
  }

  @Override
  void begin(List<String> columns) {
    names = columns.toArray(new String[0]);
  }

  @Override
  void writeRows(Batch batch) throws IOException {
    List<Column> columns = batch.columns();
    for (int row = 0; row < batch.rowCount(); row++) {
      json.writeStartObject();
      for (int c = 0; c < names.length; c++) {
        json.writeFieldName(names[c]);
        writeValue(columns.get(c), c, row);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    }
  }

  private void writeValue(Column column, int col, int row) throws IOException {
    if (column.isMissing(row)) {
      json.writeNull();
    } else if (column instanceof StringColumn) {
      json.writeString(((StringColumn) column).get(row));
    } else if (column instanceof BooleanColumn) {
      json.writeBoolean(((BooleanColumn) column).get(row));
    } else if (Double.isInfinite(((NumericColumn) column).get(row))) {
      json.writeString(((NumericColumn) column).get(row) > 0 ? "Infinity" : "-Infinity");
    } else {
      json.writeNumber(text(column, col, row));
    }
  }

  @Override
  void finish() throws IOException {
    json.flush();
  }
}
