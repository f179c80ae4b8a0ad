package io.busflow.pipeline.internal;

import io.busflow.data.Batch;
import io.busflow.data.RowOrigin;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Concatenation of batches of one schema. */
public final class Batches {

  private Batches() {}

  /**
   * The rows of {@code batches} in batch-index order as one batch (index 0, first row 0), with the columns
   * of the first; {@code null} when there is none.
   */
  public static Batch concat(List<Batch> batches) {
    if (batches.isEmpty()) {
      return null;
    }
    List<Batch> sorted = sorted(batches);
    int rows = 0;
    for (Batch b : sorted) {
      rows += b.rowCount();
    }
    List<Column> columns = new ArrayList<>();
    for (String name : sorted.get(0).columnNames()) {
      columns.add(concatColumn(name, sorted, rows));
    }
    List<RowOrigin> origins = new ArrayList<>(sorted.size());
    for (Batch b : sorted) {
      origins.add(b.origin());
    }
    return new Batch(0, 0, rows, columns, RowOrigin.concat(origins));
  }

  /** {@code batches} in batch-index order (then first-row order), as {@link #concat} takes them. */
  public static List<Batch> sorted(List<Batch> batches) {
    List<Batch> sorted = new ArrayList<>(batches);
    sorted.sort(Comparator.comparingLong(Batch::index).thenComparingLong(Batch::firstRow));
    return sorted;
  }

  private static Column concatColumn(String name, List<Batch> batches, int rows) {
    Column first = batches.get(0).column(name);
    Object out = first instanceof NumericColumn ? new double[rows]
        : first instanceof BooleanColumn ? new byte[rows] : new String[rows];
    int at = 0;
    for (Batch b : batches) {
      Column c = b.column(name);
      System.arraycopy(values(c, first), 0, out, at, c.size());
      at += c.size();
    }
    if (out instanceof double[] d) {
      return new NumericColumn(name, d);
    }
    return out instanceof byte[] y ? new BooleanColumn(name, y) : new StringColumn(name, (String[]) out);
  }

  private static Object values(Column c, Column first) {
    if (c.getClass() != first.getClass()) {
      throw new IllegalArgumentException("column '" + c.name() + "' is " + first.type() + " in one batch and "
          + c.type() + " in another; declare its type in the pipeline's format.schema");
    }
    if (c instanceof NumericColumn n) {
      return n.values();
    }
    return c instanceof BooleanColumn b ? b.values() : ((StringColumn) c).values();
  }
}
