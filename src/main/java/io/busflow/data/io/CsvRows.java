package io.busflow.data.io;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import java.util.Arrays;

/**
 * FastCSV's callback handler for {@link CsvBatchReader}: turns each record into a {@link Row}. Until
 * {@link #parseNumbers} is called every field is text, in a new row per record (the header and the sample
 * rows kept for type inference); from then on the fields of numeric columns are parsed straight from
 * FastCSV's buffer ({@link Values#parseNumber(char[], int, int)}), without a string per field, the text of the
 * other columns comes from a {@link TextPool} each, and records go into one of two rows used in turn
 * (FastCSV's iterator reads at most one record ahead). Enforces the field, record and field-count limits
 * that FastCSV's own record handler would.
 */
final class CsvRows extends AbstractBaseCsvCallbackHandler<CsvRows.Row> {

  /** Most fields a record may have, FastCSV's default. */
  static final int MAX_FIELDS = 16 * 1024;

  private final int maxFieldChars;
  private final int maxRecordChars;
  /**
   * Numeric fields longer than this are passed on as text, parsed and checked by the assembler (a double
   * needs at most 17 significant digits; longer ones are rare).
   */
  static final int MAX_NUMBER_CHARS = 400;

  private boolean[] numeric;
  private TextPool[] pools;
  private int maxNumberChars;
  private MissingTokens missing = MissingTokens.NONE;
  private final Row[] pair = {new Row(), new Row()};
  private int turn;
  private Row row;
  private long recordChars;

  CsvRows(int maxFieldChars, int maxRecordChars) {
    this.maxFieldChars = maxFieldChars;
    this.maxRecordChars = maxRecordChars;
  }

  /**
   * From the next record on, parses the numbers of the columns marked true, up to {@code maxFieldChars}
   * characters (a longer one is passed on as text, for the assembler to reject; one of the {@code missing}
   * texts is {@code NaN}), and takes the text of the others from a {@link TextPool} each.
   */
  void parseNumbers(boolean[] numericColumns, int maxFieldChars, MissingTokens missing) {
    this.missing = missing;
    this.numeric = numericColumns.clone();
    this.maxNumberChars = Math.min(MAX_NUMBER_CHARS, maxFieldChars);
    this.pools = new TextPool[numeric.length];
    for (int c = 0; c < pools.length; c++) {
      pools[c] = new TextPool();
    }
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    if (numeric == null) {
      row = new Row();
    } else {
      row = pair[turn];
      turn ^= 1;
    }
    row.begin(startingLineNumber);
    recordChars = 0;
  }

  @Override
  protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
    if (index >= MAX_FIELDS) {
      throw new CsvParseException("Record starting at line " + row.line + " has surpassed the maximum limit of "
          + MAX_FIELDS + " fields");
    }
    if (len > maxFieldChars) {
      throw new CsvParseException("Field at index " + index + " in record starting at line " + row.line
          + " exceeds the max field size of " + maxFieldChars + " characters");
    }
    recordChars += len;
    if (recordChars > maxRecordChars) {
      throw new CsvParseException("Field at index " + index + " in record starting at line " + row.line
          + " exceeds the max record size of " + maxRecordChars + " characters");
    }
    if (numeric == null || index >= numeric.length) {
      row.addText(new String(buf, offset, len));
    } else if (!numeric[index]) {
      row.addText(pools[index].of(buf, offset, len));
    } else if (len == 0 || missing.matches(buf, offset, len)) {
      row.addNumber(Double.NaN);
    } else if (len > maxNumberChars) {
      row.addText(new String(buf, offset, len));
    } else {
      addNumber(buf, offset, len);
    }
  }

  /** A number of a numeric column, or its text when it is none: the assembler rejects it, naming the text. */
  private void addNumber(char[] buf, int offset, int len) {
    double v = Values.parseNumber(buf, offset, len);
    if (v == Values.NOT_A_NUMBER) {
      row.addText(new String(buf, offset, len));
    } else {
      row.addNumber(v);
    }
  }

  @Override
  protected Row buildRecord() {
    return row;
  }

  /**
   * One record: its first line and its fields, each either text or, for a numeric column, a number
   * already parsed ({@code NaN} for an empty field).
   */
  static final class Row {
    private long line;
    private int count;
    private String[] text = new String[16];
    private long chars;
    private double[] numbers = new double[16];

    private void begin(long startingLine) {
      line = startingLine;
      count = 0;
      chars = 0;
    }

    private void addText(String value) {
      grow();
      text[count++] = value;
      chars += value.length();
    }

    private void addNumber(double value) {
      grow();
      text[count] = null;
      numbers[count++] = value;
    }

    private void grow() {
      if (count == text.length) {
        text = Arrays.copyOf(text, count * 2);
        numbers = Arrays.copyOf(numbers, count * 2);
      }
    }

    long startingLine() {
      return line;
    }

    int fieldCount() {
      return count;
    }

    /** The characters of the record's text fields. */
    long chars() {
      return chars;
    }

    /** Whether field {@code i} was parsed as a number. */
    boolean isNumber(int i) {
      return text[i] == null;
    }

    double number(int i) {
      return numbers[i];
    }

    /** The text of field {@code i}; null when it was parsed as a number. */
    String text(int i) {
      return text[i];
    }
  }
}
