package io.busflow.data.io;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes CSV with FastCSV: UTF-8, LF line ends, a header of the column names, fields quoted only when
 * they need it. A missing value is an empty field, so an empty string reads back as missing.
 */
final class CsvBatchWriter extends AbstractBatchWriter {

  private final CsvWriter csv;

  CsvBatchWriter(OutputFile file, WriteOptions options, char delimiter) {
    super(file, options);
    this.csv = CsvWriter.builder()
        .fieldSeparator(delimiter)
        .lineDelimiter(LineDelimiter.LF)
        .build(file.stream(), StandardCharsets.UTF_8);
  }

  @Override
  void begin(List<String> columns) {
    csv.writeRecord(columns);
  }

  @Override
  void writeRows(Batch batch) {
    List<Column> columns = batch.columns();
    int width = columns.size();
    for (int row = 0; row < batch.rowCount(); row++) {
      CsvWriter.CsvWriterRecord record = csv.writeRecord();
      for (int c = 0; c < width; c++) {
        record.writeField(text(columns.get(c), c, row));
      }
      record.endRecord();
    }
  }

  @Override
  void finish() throws IOException {
    csv.flush();
  }
}
