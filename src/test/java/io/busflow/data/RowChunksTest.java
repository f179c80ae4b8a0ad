package io.busflow.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows held in runs read as the rows of their runs in order, in place or joined. */
class RowChunksTest {

  /** Runs of 2, 0 and 3 rows; the first and last share their arrays. */
  private static RowChunks rows() {
    double[] x = {9, 1, 2, 9, 4, 5, 6};
    String[] s = {"-", "a", "b", "-", "d", "e", "f"};
    Object[] shared = {x, s};
    Object[] empty = {new double[0], new String[0]};
    RowOrigin origin = RowOrigin.of("f.csv", new long[] {2, 3, 5, 6, 7}, 5);
    return new RowChunks(List.of("x", "s"), new Object[][] {shared, empty, shared}, new int[] {1, 0, 4},
        new int[] {2, 0, 3}, origin);
  }

  @Test
  void theRowsAreThoseOfTheRunsInOrder() {
    RowChunks rows = rows();
    assertEquals(5, rows.rowCount());
    assertEquals(3, rows.runs());
    assertEquals(ColumnType.STRING, rows.type("s"));
    assertArrayEquals(new double[] {1, 2, 4, 5, 6}, ((NumericColumn) rows.column("x")).values());
    assertEquals(List.of(0, 0, 2, 2, 2), List.of(rows.runOf(0), rows.runOf(1), rows.runOf(2), rows.runOf(3),
        rows.runOf(4)), "the empty run holds no row");
    assertEquals(4, rows.offset(2));
    assertEquals(2, rows.start(2));
    assertEquals("f.csv line 6", rows.describeRow(3));
  }

  @Test
  void select_keepsTheRowsWithTheColumnsNamed_andJoinCopiesInRunOrder() {
    RowChunks only = rows().select(List.of("s"));
    assertEquals(List.of("s"), only.columnNames());
    Batch joined = only.join(2);
    assertArrayEquals(new String[] {"a", "b", "d", "e", "f"}, joined.strings("s").values());
    assertEquals("f.csv line 7", joined.describeRow(4));
    var e = assertThrows(IllegalArgumentException.class, () -> only.select(List.of("x")));
    assertEquals("no column 'x'; columns are [s]", e.getMessage());
  }

  @Test
  void runsThatDoNotFitTheirArraysOrDisagreeOnATypeAreRefused() {
    Object[] run = {new double[3]};
    var beyond = assertThrows(IllegalArgumentException.class,
        () -> new RowChunks(List.of("x"), new Object[][] {run}, new int[] {1}, new int[] {3}, null));
    assertEquals("run 0 of column 'x': rows 1 … 4 are not all in its array", beyond.getMessage());
    var types = assertThrows(IllegalArgumentException.class, () -> new RowChunks(List.of("x"),
        new Object[][] {run, {new String[1]}}, new int[] {0, 0}, new int[] {1, 1}, null));
    assertEquals("column 'x' is NUMERIC in one run and STRING in another", types.getMessage());
    var origin = assertThrows(IllegalArgumentException.class, () -> new RowChunks(List.of("x"),
        new Object[][] {run}, new int[] {0}, new int[] {3}, RowOrigin.of("f.csv", new long[] {2, 3}, 2)));
    assertEquals("the origin describes 2 rows but there are 3", origin.getMessage());
  }
}
