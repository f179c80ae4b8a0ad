package io.busflow.data.io;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes CSV as RFC 4180 says, the way FastCSV's writer does by default: UTF-8, LF line ends, a header of
 * the column names, a field quoted only when it holds the delimiter, a quote, CR or LF (quotes doubled), or
 * when it is the first of its record and starts with {@code #} (which some readers take for a comment). A
 * missing value is an empty field, so an empty string reads back as missing. Rows are assembled in one
 * buffer and numbers with fixed decimals are formatted straight into it, without a string per cell: the
 * writer is on the path of every scored row.
 */
final class CsvBatchWriter extends AbstractBatchWriter {

  private final Writer out;
  private final char delimiter;
  private final boolean header;
  private final StringBuilder line = new StringBuilder(FLUSH_CHARS + 1024);
  private char[] chunk = new char[FLUSH_CHARS + 1024];

  /** Rows are gathered in {@code line} and handed to the writer about this many characters at a time. */
  private static final int FLUSH_CHARS = 1 << 15;

  CsvBatchWriter(OutputFile file, WriteOptions options, char delimiter) {
    super(file, options);
    this.delimiter = delimiter;
    this.header = options.header();
    this.out = new BufferedWriter(new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8), 1 << 16);
  }

  @Override
  void begin(List<String> columns) throws IOException {
    if (!header) {
      return;
    }
    line.setLength(0);
    for (int c = 0; c < columns.size(); c++) {
      if (c > 0) {
        line.append(delimiter);
      }
      appendText(columns.get(c), c == 0);
    }
    out.append(line.append('\n'));
  }

  @Override
  void writeRows(Batch batch) throws IOException {
    List<Column> columns = batch.columns();
    int width = columns.size();
    line.setLength(0);
    for (int row = 0; row < batch.rowCount(); row++) {
      for (int c = 0; c < width; c++) {
        if (c > 0) {
          line.append(delimiter);
        }
        appendCell(columns.get(c), c, row);
      }
      line.append('\n');
      if (line.length() >= FLUSH_CHARS) {
        flushLine();
      }
    }
    flushLine();
  }

  /** Hands the gathered rows to the writer without making a string of them. */
  private void flushLine() throws IOException {
    int n = line.length();
    if (chunk.length < n) {
      chunk = new char[n];
    }
    line.getChars(0, n, chunk, 0);
    out.write(chunk, 0, n);
    line.setLength(0);
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
      line.append((long) v);
    } else {
      line.append(n.text(row));
    }
  }

  private void appendText(String text, boolean first) {
    if (!needsQuotes(text) && !(first && text.startsWith("#"))) {
      line.append(text);
      return;
    }
    line.append('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      line.append(ch);
      if (ch == '"') {
        line.append('"');
      }
    }
    line.append('"');
  }

  private boolean needsQuotes(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == delimiter || ch == '"' || ch == '\n' || ch == '\r') {
        return true;
      }
    }
    return false;
  }

  @Override
  void finish() throws IOException {
    out.flush();
  }
}
