package io.busflow.data;

import java.util.List;

/**
 * One named, typed column of a {@link Batch}. Columns are immutable once built: the arrays they wrap are
 * owned by the column and never changed, which is what lets a batch be handed between actors of one JVM
 * without a copy.
 */
public sealed interface Column permits NumericColumn, StringColumn, BooleanColumn {

  String name();

  ColumnType type();

  int size();

  boolean isMissing(int row);

  /** The value at {@code row} as text, as a CSV writer would print it; {@code null} when missing. */
  String text(int row);

  /** The same values under another name. */
  Column renamed(String newName);

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a new column. */
  Column slice(int from, int to);

  /** The rows at the given indexes, in that order. */
  Column select(int[] rows);

  /** The rows of {@code parts} one after another, under the first part's name; the parts are of one type. */
  static Column concat(List<? extends Column> parts) {
    Column first = parts.get(0);
    int n = parts.stream().mapToInt(Column::size).sum();
    Object out = first instanceof NumericColumn ? new double[n] : first instanceof StringColumn ? new String[n]
        : new byte[n];
    int at = 0;
    for (Column c : parts) {
      Object values = c instanceof NumericColumn v ? v.values() : c instanceof StringColumn v ? v.values()
          : ((BooleanColumn) c).values();
      System.arraycopy(values, 0, out, at, c.size());
      at += c.size();
    }
    return first instanceof NumericColumn ? new NumericColumn(first.name(), (double[]) out)
        : first instanceof StringColumn ? new StringColumn(first.name(), (String[]) out)
        : new BooleanColumn(first.name(), (byte[]) out);
  }
}
