package io.busflow.data.io;

import java.util.HashMap;
import java.util.Map;

/**
 * How to write a data file. Immutable: each {@code withX} returns a changed copy. By default numbers are
 * printed as {@link io.busflow.data.Column#text} prints them (shortest form that reads back to the same
 * double) and the CSV delimiter is a comma ({@code .csv}) or a tab ({@code .tsv}).
 */
public final class WriteOptions {

  private static final WriteOptions DEFAULTS = new WriteOptions(null, -1, Map.of(), true);

  private final Character delimiter;
  private final int decimals;
  private final Map<String, Integer> columnDecimals;
  private final boolean header;

  private WriteOptions(Character delimiter, int decimals, Map<String, Integer> columnDecimals, boolean header) {
    this.header = header;
    this.delimiter = delimiter;
    this.decimals = decimals;
    this.columnDecimals = Map.copyOf(columnDecimals);
  }

  public static WriteOptions defaults() {
    return DEFAULTS;
  }

  /** The CSV field delimiter; a quote, CR or LF is refused. */
  public WriteOptions withDelimiter(char delimiter) {
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("a CSV delimiter cannot be a quote or a line break");
    }
    return new WriteOptions(delimiter, decimals, columnDecimals, header);
  }

  /** Every numeric column with this many decimals, as {@link FixedDecimals} formats them. */
  public WriteOptions withDecimals(int decimals) {
    check(decimals);
    return new WriteOptions(delimiter, decimals, columnDecimals, header);
  }

  /** The numeric column {@code column} with this many decimals; wins over {@link #withDecimals(int)}. */
  public WriteOptions withDecimals(String column, int decimals) {
    check(decimals);
    Map<String, Integer> m = new HashMap<>(columnDecimals);
    m.put(column, decimals);
    return new WriteOptions(delimiter, this.decimals, m, header);
  }

  /**
   * Whether a CSV file starts with a line naming the columns (default true); without, the file holds rows
   * only (a part to be joined after another). JSON Lines has no header either way.
   */
  public WriteOptions withHeader(boolean header) {
    return new WriteOptions(delimiter, decimals, columnDecimals, header);
  }

  public boolean header() {
    return header;
  }

  /** The delimiter set, or {@code fallback} when none was. */
  public char delimiterOr(char fallback) {
    return delimiter == null ? fallback : delimiter;
  }

  /** Decimals for numeric column {@code column}, or {@code -1} to print it as Column.text does. */
  public int decimalsFor(String column) {
    return columnDecimals.getOrDefault(column, decimals);
  }

  private static void check(int decimals) {
    if (decimals < 0 || decimals > FixedDecimals.MAX_DECIMALS) {
      throw new IllegalArgumentException(
          "decimals must be 0 to " + FixedDecimals.MAX_DECIMALS + ", got " + decimals);
    }
  }
}
