package io.busflow.data.io;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes CSV as RFC 4180 says, the way FastCSV's writer does by default: UTF-8, LF line ends, a header of
 * the column names, a field quoted only when it holds the delimiter, a quote, CR or LF (quotes doubled), or
 * when it is the first of its record and starts with {@code #} (which some readers take for a comment). A
 * missing value is an empty field, so an empty string reads back as missing. Rows are assembled as UTF-8 bytes
 * in one {@link Utf8Buffer}, numbers formatted straight into it without a string per cell, and the buffer is
 * written to the file's stream about {@value #FLUSH_BYTES} bytes at a time: the writer is on the path of every
 * scored row.
 */
final class CsvBatchWriter extends AbstractBatchWriter {

  private final OutputStream out;
  private final char delimiter;
  private final boolean header;
  private final Utf8Buffer line = new Utf8Buffer(FLUSH_BYTES + 1024);

  /** Rows are gathered in {@code line} and written about this many bytes at a time. */
  private static final int FLUSH_BYTES = 1 << 16;

  CsvBatchWriter(OutputFile file, WriteOptions options, char delimiter) {
    super(file, options);
    this.delimiter = delimiter;
    this.header = options.header();
    this.out = file.stream();
  }

  @Override
  void begin(List<String> columns) throws IOException {
    if (!header) {
      return;
    }
    for (int c = 0; c < columns.size(); c++) {
      if (c > 0) {
        delimit();
      }
      appendText(columns.get(c), c == 0);
    }
    line.ascii('\n');
  }

  @Override
  void writeRows(Batch batch) throws IOException {
    List<Column> columns = batch.columns();
    int width = columns.size();
    for (int row = 0; row < batch.rowCount(); row++) {
      for (int c = 0; c < width; c++) {
        if (c > 0) {
          delimit();
        }
        appendCell(columns.get(c), c, row);
      }
      line.ascii('\n');
      if (line.size() >= FLUSH_BYTES) {
        line.writeTo(out);
      }
    }
  }

  private void delimit() {
    if (delimiter < 0x80) {
      line.ascii(delimiter);
    } else {
      line.text(String.valueOf(delimiter));
    }
  }

  private void appendCell(Column column, int col, int row) {
    int d = decimals(col);
    if (d >= 0 && column instanceof NumericColumn n && !n.isMissing(row)) {
      FixedDecimals.appendTo(line, n.get(row), d);
      return;
    }
    if (column instanceof NumericColumn n) {
      appendNumber(n, row);
      return;
    }
    String text = column.text(row);
    if (text != null) {
      appendText(text, col == 0);
    }
  }

  /** As {@link NumericColumn#text(int)} writes it, integral values without a string in between. */
  private void appendNumber(NumericColumn n, int row) {
    double v = n.get(row);
    if (Double.isNaN(v)) {
      return;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      line.digits((long) v);
    } else {
      line.text(n.text(row));
    }
  }

  private void appendText(String text, boolean first) {
    if ((first && text.startsWith("#")) || !line.plainField(text, delimiter)) {
      line.text('"' + text.replace("\"", "\"\"") + '"');
    }
  }

  @Override
  void finish() throws IOException {
    line.writeTo(out);
    out.flush();
  }
}
