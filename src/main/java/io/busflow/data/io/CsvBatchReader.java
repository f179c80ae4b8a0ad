package io.busflow.data.io;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.busflow.data.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads CSV with FastCSV: RFC 4180 quoting (delimiters, quotes and line breaks inside quoted fields),
 * CR, LF or CRLF line ends, a UTF-8 byte-order mark, blank lines skipped. Text is decoded strictly by
 * {@link CheckedUtf8Reader}.
 *
 * <p>Limits: a record may hold up to {@link ReadOptions#maxRecordChars} characters (16 Mi by default, as FastCSV's
 * own default buffer), and so may a field; the parser's buffer never grows past that. Row errors (field count, a
 * value that does not fit its column, invalid UTF-8) follow the bad-row policy; structural errors (a quote never closed,
 * characters after a closing quote, a field over the limit) always fail, because FastCSV cannot go on
 * after them.
 */
final class CsvBatchReader extends SampledBatchReader<CsvRows.Row> {

  /**
   * What FastCSV reads at once: its buffer holds the field being parsed and room for one read, so a buffer of the
   * record bound and this lets a field be as long as a record may be.
   */
  private static final int FASTCSV_READ_CHARS = 8192;
  /** FastCSV's buffer, or {@link CsvRows}'s count, past {@link ReadOptions#maxRecordChars}. */
  private static final Pattern TOO_LONG = Pattern.compile(
      "maximum buffer size|exceeds the max (field|record) size");
  private static final Pattern FASTCSV_LINE = Pattern.compile("(?:started in line|record starting at line) (\\d+)");

  private final char delimiter;
  private final CheckedUtf8Reader text;
  private final CsvRows rows;
  private final int maxRecordChars;
  private final CsvReader<CsvRows.Row> csv;
  private final CloseableIterator<CsvRows.Row> records;
  private final int columnCount;
  private final String countSource;
  /** Lines before the first one read: 0, or the lines of the file before a piece being read on its own. */
  private final long lineOffset;
  private long lastLine = 1;

  private CsvBatchReader(Path path, ReadOptions options, char delimiter) {
    super(path);
    this.delimiter = delimiter;
    this.maxRecordChars = options.maxRecordChars();
    this.rows = new CsvRows(maxRecordChars, maxRecordChars);
    ReadOptions.ByteRange range = options.range();
    this.lineOffset = range == null ? 0 : range.firstLine() - 1;
    this.text = range == null ? CheckedUtf8Reader.forCsv(Inputs.open(path), delimiter)
        : CheckedUtf8Reader.forCsv(Inputs.open(path, range), delimiter, range.firstLine(), range.start());
    this.csv = CsvReader.builder()
        .fieldSeparator(delimiter)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .skipEmptyLines(true)
        .maxBufferSize(maxRecordChars + FASTCSV_READ_CHARS)
        .build(rows, text);
    this.records = csv.iterator();
    this.countSource = options.header() ? "the header has " : "the first row has ";
    try {
      // the header line belongs to the piece that starts the file; later pieces take the declared names
      boolean laterPiece = range != null && range.start() > 0;
      List<String> names = options.header() && !laterPiece ? readHeader() : null;
      fillSample(options);
      if (names == null) {
        names = range != null && options.schema() != null ? options.schema().names()
            : positionalNames(options.schema());
      }
      this.columnCount = names.size();
      MissingTokens missing = MissingTokens.of(options.missing());
      Schema schema = Inputs.settle(path, names, guessTypes(names.size(), missing), options.sampleRows(),
          options.schema());
      this.assembler = new BatchAssembler(path, schema, options);
      rows.parseNumbers(numericColumns(schema), options.maxFieldChars(), missing);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  private static boolean[] numericColumns(Schema schema) {
    boolean[] numeric = new boolean[schema.size()];
    for (int c = 0; c < numeric.length; c++) {
      numeric[c] = schema.field(c).type() == ColumnType.NUMERIC;
    }
    return numeric;
  }

  /** Opens {@code path} and settles its schema; closes it again when that fails. */
  static CsvBatchReader open(Path path, ReadOptions options, char delimiter) {
    return new CsvBatchReader(path, options, delimiter);
  }

  @Override
  protected long chars(CsvRows.Row record) {
    return record.chars();
  }

  @Override
  protected void addRow(CsvRows.Row record) {
    long line = record.startingLine() + lineOffset;
    assembler.beginRow(line);
    CheckedUtf8Reader.InvalidBytes invalid = takeInvalidBytes(record);
    if (invalid != null) {
      assembler.rejectRow(line, null, null, invalidUtf8(invalid), UTF8_REMEDY + ", or use badRows=skip");
    } else if (record.fieldCount() != columnCount) {
      assembler.rejectRow(line, null, null, "has " + record.fieldCount() + " fields, " + countSource
          + columnCount, "quote fields that contain '" + printable(delimiter) + "', or use badRows=skip");
    } else if (setFields(record, line)) {
      assembler.acceptRow();
    }
  }

  private boolean setFields(CsvRows.Row record, long line) {
    for (int c = 0; c < columnCount; c++) {
      if (record.isNumber(c)) {
        assembler.setNumber(c, record.number(c));
      } else if (!assembler.setText(c, record.text(c), line)) {
        return false;
      }
    }
    return true;
  }

  private List<String> readHeader() {
    CsvRows.Row header = fetch();
    if (header == null) {
      throw DataException.badData(path, 1, null, null, path.getFileName()
          + " is empty, no header; a CSV file needs a first line naming its columns"
          + " (or read it with header=false)");
    }
    CheckedUtf8Reader.InvalidBytes invalid = takeInvalidBytes(header);
    if (invalid != null) {
      throw DataException.badData(path, invalid.line(), null, null,
          path.getFileName() + " " + invalidUtf8(invalid) + " in the header (" + UTF8_REMEDY + ")");
    }
    return headerNames(header);
  }

  private List<String> headerNames(CsvRows.Row header) {
    List<String> names = new ArrayList<>(header.fieldCount());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.fieldCount(); i++) {
      String name = header.text(i).isEmpty() ? "column" + (i + 1) : header.text(i);
      if (!seen.add(name)) {
        throw DataException.badData(path, header.startingLine(), name, name, path.getFileName()
            + " line " + header.startingLine() + ": the header names column '" + name
            + "' twice; rename one of them");
      }
      names.add(name);
    }
    return names;
  }

  private List<String> positionalNames(Schema declared) {
    int count = sample.isEmpty() ? 0 : sample.peek().fieldCount();
    if (declared != null && declared.size() != count) {
      throw DataException.badData(path, 1, null, null, "the declared schema has " + declared.size()
          + " columns but " + path.getFileName() + " has " + count + " in its first row; declare every column");
    }
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(declared != null ? declared.field(i).name() : "column" + (i + 1));
    }
    return names;
  }

  private List<TypeGuess> guessTypes(int count, MissingTokens missing) {
    List<TypeGuess> guesses = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      guesses.add(new TypeGuess());
    }
    for (CsvRows.Row record : sample) {
      if (record.fieldCount() == count) {
        for (int c = 0; c < count; c++) {
          String value = record.text(c);
          guesses.get(c).offerText(missing.matches(value) ? null : value, record.startingLine() + lineOffset);
        }
      }
    }
    return guesses;
  }

  /** The next record from FastCSV, or null at the end; structural errors become DataExceptions. */
  @Override
  protected CsvRows.Row fetch() {
    try {
      if (!records.hasNext()) {
        return null;
      }
      CsvRows.Row record = records.next();
      lastLine = record.startingLine() + lineOffset;
      if (text.openQuoteLine() > 0 && !records.hasNext()) {
        throw unbalancedQuote(text.openQuoteLine());
      }
      return record;
    } catch (CsvParseException e) {
      throw structural(e);
    } catch (UncheckedIOException e) {
      throw Inputs.readFailed(path, e.getCause());
    }
  }

  private DataException unbalancedQuote(long line) {
    return DataException.badData(path, line, null, null, path.getFileName() + " line " + line
        + ": a quoted field starts here and is never closed, so the rest of the file would be one field"
        + " (unbalanced quote: close it, or double quotes inside a quoted field as \"\")");
  }

  private DataException structural(CsvParseException e) {
    long line = fastCsvLine(e);
    long openQuote = text.currentQuoteLine();
    String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    String hint;
    if (TOO_LONG.matcher(String.valueOf(cause)).find()) {
      cause = "a record longer than " + maxRecordChars + " characters, the most a reader holds "
          + "(read.maxRecordChars)";
      hint = (openQuote > 0 ? "the quoted field opened at line " + openQuote + " is not closed within it: an "
          + "unbalanced quote, or a field that long; " : "") + "raise read.maxRecordChars if the record is right; "
          + "this error stops reading whatever the bad-row policy";
    } else {
      hint = openQuote > 0
          ? "the quoted field opened at line " + openQuote + " is probably never closed (unbalanced quote)"
          : "fix the file there; this error stops reading whatever the bad-row policy";
    }
    return new DataException(DataException.Kind.BAD_DATA, path.getFileName() + " line " + line + ": "
        + cause + " (" + hint + ")", path, line, null, null, e);
  }

  private long fastCsvLine(CsvParseException e) {
    Matcher m = FASTCSV_LINE.matcher(String.valueOf(e.getMessage()));
    return m.find() ? Long.parseLong(m.group(1)) + lineOffset : lastLine;
  }

  private static final String UTF8_REMEDY =
      "the file must be UTF-8; convert it, e.g. iconv -f latin1 -t utf-8";

  private String invalidUtf8(CheckedUtf8Reader.InvalidBytes invalid) {
    return "has invalid UTF-8 at byte offset " + invalid.byteOffset();
  }

  /**
   * The first malformed UTF-8 sequence inside {@code record}, taking all of them off the queue; null when
   * the record has none. The lines a record spans are only counted when a malformed sequence is pending.
   */
  private CheckedUtf8Reader.InvalidBytes takeInvalidBytes(CsvRows.Row record) {
    ArrayDeque<CheckedUtf8Reader.InvalidBytes> queue = text.invalidBytes();
    if (queue.isEmpty()) {
      return null;
    }
    long start = record.startingLine() + lineOffset;
    long end = queue.peek().line() <= start ? start : start + lineBreaks(record);
    CheckedUtf8Reader.InvalidBytes first = null;
    while (!queue.isEmpty() && queue.peek().line() <= end) {
      CheckedUtf8Reader.InvalidBytes next = queue.poll();
      first = first == null ? next : first;
    }
    return first;
  }

  private static long lineBreaks(CsvRows.Row record) {
    long breaks = 0;
    for (int i = 0; i < record.fieldCount(); i++) {
      String f = record.isNumber(i) ? "" : record.text(i);
      for (int j = 0; j < f.length(); j++) {
        char c = f.charAt(j);
        if (c == '\r' || (c == '\n' && (j == 0 || f.charAt(j - 1) != '\r'))) {
          breaks++;
        }
      }
    }
    return breaks;
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      csv.close();
    } catch (IOException e) {
      // nothing was written; a failing close of an input loses nothing
    }
  }
}
