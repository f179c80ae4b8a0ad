package io.busflow.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowChunks;
import io.busflow.data.StringColumn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rows kept in large arrays, taken and joined, give the batch that {@link Batches#concat} makes of the same batches. */
class KeptRowsTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 8})
  void takenAndJoined_inAnyArrivalOrder_onAnyThreads_equalsConcat(int threads) {
    Random random = new Random(threads);
    List<Batch> batches = new ArrayList<>();
    long row = 0;
    for (int piece = 0; piece < 3; piece++) {
      for (int i = 0; i < 9; i++) {
        int n = 1 + random.nextInt(3 * KeptRows.FIRST_ROWS / 2);
        batches.add(Batches.inPiece(batch(random, i, row, n), piece, 0));
        row += n;
      }
    }
    Batch want = Batches.concat(batches);
    List<Batch> arrival = new ArrayList<>(batches);
    Collections.shuffle(arrival, random);
    KeptRows kept = new KeptRows();
    arrival.forEach(kept::add);
    assertEquals(want.rowCount(), kept.rows());
    Batch got = kept.take().join(threads);
    assertEquals(want.rowCount(), got.rowCount());
    assertEquals(want.columnNames(), got.columnNames());
    assertArrayEquals(((NumericColumn) want.column("x")).values(), ((NumericColumn) got.column("x")).values());
    assertArrayEquals(((BooleanColumn) want.column("b")).values(), ((BooleanColumn) got.column("b")).values());
    assertArrayEquals(((StringColumn) want.column("s")).values(), ((StringColumn) got.column("s")).values());
    assertEquals(0, kept.rows(), "taken");
    assertNull(kept.take());
  }

  /** The pieces' rows kept apart (a lane each) and taken together are every row in file order. */
  @Test
  void takenTogether_partsKeptApart_giveTheRowsInFileOrder() {
    Random random = new Random(5);
    List<Batch> batches = new ArrayList<>();
    List<KeptRows> parts = List.of(new KeptRows(), new KeptRows(), new KeptRows());
    long row = 0;
    for (int piece = 0; piece < parts.size(); piece++) {
      for (int i = 0; i < 6; i++) {
        int n = 1 + random.nextInt(KeptRows.FIRST_ROWS);
        batches.add(Batches.inPiece(batch(random, i, row, n), piece, 0));
        row += n;
      }
    }
    List<Batch> arrival = new ArrayList<>(batches);
    Collections.shuffle(arrival, random);
    arrival.forEach(b -> parts.get(Batches.piece(b)).add(b));
    RowChunks rows = KeptRows.take(List.of(parts.get(2), parts.get(0), parts.get(1)));
    assertEquals(Batches.concat(batches), rows.join(2));
    parts.forEach(p -> assertEquals(0, p.rows(), "taken"));
    assertNull(KeptRows.take(parts));
  }

  @Test
  void take_givesTheRowsInPlace_batchesThatFollowInOneArrayAsOneRun() {
    Random random = new Random(3);
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batches.add(batch(random, i, 1000L * i, 1000));
    }
    KeptRows kept = new KeptRows();
    batches.forEach(kept::add);
    RowChunks rows = kept.take();
    assertEquals(6, rows.runs(), "arrays of 1,022, 2,046, 4,094, 8,190, 16,382 and 32,766 rows: 1, 2, 4, 8, 16 and the"
        + " last 9 batches");
    assertEquals(40_000, rows.rowCount());
    Batch want = Batches.concat(batches);
    assertArrayEquals(((StringColumn) want.column("s")).values(), ((StringColumn) rows.column("s")).values());
    assertEquals(want, rows.join(2));
    assertEquals(0, kept.rows(), "taken");
    assertNull(kept.take());
  }

  /** What a batch will add, chunk arrays and text included, is known before it is added. */
  @Test
  void bytesWith_isWhatAddingTheBatchKeeps() {
    Random random = new Random(4);
    KeptRows kept = new KeptRows();
    for (int i = 0; i < 30; i++) {
      Batch b = batch(random, i, 3000L * i, 3000);
      long want = kept.bytesWith(b);
      kept.add(b);
      assertEquals(want, kept.bytes(), "batch " + i);
    }
    assertEquals((8L + 1 + 8) * (4094 + 8190 + 16382 + 32766 + 65534), kept.bytes() - textBytes(kept),
        "five chunks of a numeric, a boolean and a text column (8, 1 and 8 bytes a row)");
  }

  /** The first arrays fit the first batch: a small piece's rows keep about their own bytes, not a full chunk's. */
  @Test
  void aSmallFirstBatch_getsArraysItsSize_andALargeOneTheFullFirstChunk() {
    KeptRows small = new KeptRows();
    small.add(batch(new Random(6), 0, 0, 200));
    assertEquals((8L + 1 + 8) * 254, small.bytes() - textBytes(small), "arrays of 254 rows for 200");
    KeptRows empty = new KeptRows();
    empty.add(batch(new Random(8), 0, 0, 0));
    empty.add(batch(new Random(8), 1, 0, 3));
    assertEquals(3, empty.take().rowCount(), "an empty first batch gets arrays too");
    KeptRows large = new KeptRows();
    large.add(batch(new Random(7), 0, 0, 10_000));
    assertEquals((8L + 1 + 8) * KeptRows.FIRST_ROWS, large.bytes() - textBytes(large), "the first chunk, 16,382 rows");
  }

  /** The text's share of {@code kept}'s bytes: its strings, 40 bytes and their characters each. */
  private static long textBytes(KeptRows kept) {
    RowChunks rows = kept.take();
    long sum = 0;
    for (String s : ((StringColumn) rows.column("s")).values()) {
      sum += 40 + s.length();
    }
    return sum;
  }

  @Test
  void aColumnOfAnotherType_failsNamingIt() {
    KeptRows kept = new KeptRows();
    kept.add(new Batch(0, 0, 1, List.of(new NumericColumn("x", new double[] {1}))));
    var e = assertThrows(IllegalArgumentException.class,
        () -> kept.add(new Batch(1, 1, 1, List.of(new StringColumn("x", new String[] {"a"})))));
    assertEquals("column 'x' is NUMERIC in one batch and STRING in another; declare its type in the pipeline's "
        + "format.schema", e.getMessage());
  }

  private static Batch batch(Random random, long index, long firstRow, int n) {
    double[] x = new double[n];
    byte[] b = new byte[n];
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
      b[i] = (byte) random.nextInt(2);
      s[i] = "v" + random.nextInt(50);
    }
    List<Column> cols = List.of(new NumericColumn("x", x), new BooleanColumn("b", b), new StringColumn("s", s));
    return new Batch(index, firstRow, n, cols);
  }
}
