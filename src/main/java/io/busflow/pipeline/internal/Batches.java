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

/** Concatenation of batches of one schema; the piece a batch of a partitioned read came from. */
public final class Batches {

  /** Bits of a batch index below the piece number ({@link #inPiece}): 2^40 batches a piece. */
  private static final int PIECE_SHIFT = 40;

  private Batches() {}

  /**
   * {@code b}, a batch of piece {@code piece} of a partitioned read, renumbered for the whole source: its index
   * carries the piece above the piece's own batch index, so that sorting by index sorts pieces in file order
   * and each piece's batches in order; its first row is moved by {@code rowOffset}, the rows of the pieces
   * before it. Piece 0 at offset 0 is left as it is.
   */
  public static Batch inPiece(Batch b, int piece, long rowOffset) {
    return piece == 0 && rowOffset == 0 ? b
        : b.withPosition(((long) piece << PIECE_SHIFT) | b.index(), b.firstRow() + rowOffset);
  }

  /** The piece a batch came from ({@link #inPiece}); 0 for a batch of a source read whole. */
  public static int piece(Batch b) {
    return (int) (b.index() >>> PIECE_SHIFT);
  }

  /**
   * The rows of {@code batches} in batch-index order as one batch (index 0, first row 0), with the columns
   * of the first; {@code null} when there is none.
   */
  public static Batch concat(List<Batch> batches) {
    return batches.isEmpty() ? null : joined(sorted(batches));
  }

  /** The rows of {@code sorted} as one batch; sets each entry to null once its rows are copied. */
  private static Batch joined(List<Batch> sorted) {
    Batch first = sorted.get(0);
    int rows = 0;
    for (Batch b : sorted) {
      rows += b.rowCount();
    }
    List<Column> firsts = first.columns();
    Object[] out = new Object[firsts.size()];
    for (int c = 0; c < out.length; c++) {
      Column f = firsts.get(c);
      out[c] = f instanceof NumericColumn ? new double[rows] : f instanceof BooleanColumn ? new byte[rows] : new String[rows];
    }
    List<RowOrigin> origins = new ArrayList<>(sorted.size());
    int at = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Batch b = sorted.set(i, null);
      for (int c = 0; c < out.length; c++) {
        Column col = b.column(firsts.get(c).name());
        System.arraycopy(values(col, firsts.get(c)), 0, out[c], at, col.size());
      }
      at += b.rowCount();
      origins.add(b.origin());
    }
    List<Column> columns = new ArrayList<>(out.length);
    for (int c = 0; c < out.length; c++) {
      columns.add(column(firsts.get(c).name(), out[c]));
    }
    return new Batch(0, 0, rows, columns, RowOrigin.concat(origins));
  }

  /** {@code batches} in batch-index order (then first-row order), as {@link #concat} takes them. */
  public static List<Batch> sorted(List<Batch> batches) {
    List<Batch> sorted = new ArrayList<>(batches);
    sorted.sort(Comparator.comparingLong(Batch::index).thenComparingLong(Batch::firstRow));
    return sorted;
  }

  /** A column of {@code values}: a double[], byte[] (booleans) or String[]. */
  static Column column(String name, Object values) {
    if (values instanceof double[] d) {
      return new NumericColumn(name, d);
    }
    return values instanceof byte[] y ? new BooleanColumn(name, y) : new StringColumn(name, (String[]) values);
  }

  /**
   * An estimate of the bytes {@code b} holds: 8 a row and numeric column, 1 a row and boolean column, and for text
   * a reference and a string of each value's length (strings shared between rows counted each time).
   */
  public static long bytes(Batch b) {
    long sum = 0;
    for (Column c : b.columns()) {
      if (c instanceof StringColumn s) {
        for (String v : s.values()) {
          sum += 8 + (v == null ? 0 : 40 + v.length());
        }
      } else {
        sum += (long) c.size() * (c instanceof BooleanColumn ? 1 : 8);
      }
    }
    return sum;
  }

  /** The values array of {@code c}, which must be of {@code first}'s type (the column of the first batch). */
  static Object values(Column c, Column first) {
    if (c.getClass() != first.getClass()) {
      throw new IllegalArgumentException("column '" + c.name() + "' is " + first.type() + " in one batch and "
          + c.type() + " in another; declare its type in the pipeline's format.schema");
    }
    if (c instanceof NumericColumn n) {
      return n.values();
    }
    return c instanceof BooleanColumn b ? b.values() : ((StringColumn) c).values();
  }

  /** The rows of {@code batch} whose {@code column} has a value, in order; {@code batch} itself when all have. */
  public static Batch withValueIn(Batch batch, String column) {
    Column c = batch.column(column);
    int[] keep = new int[batch.rowCount()];
    int n = 0;
    for (int i = 0; i < keep.length; i++) {
      if (!c.isMissing(i)) {
        keep[n++] = i;
      }
    }
    return n == keep.length ? batch : batch.selectRows(java.util.Arrays.copyOf(keep, n));
  }
}
