package io.busflow.data;

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
}
