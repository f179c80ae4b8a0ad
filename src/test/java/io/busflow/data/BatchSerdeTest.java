package io.busflow.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSerdeTest {

  @Test
  void roundTrip_keepsMissingValuesUnicodeAndSpecialNumbers() {
    Batch b = new Batch(7, 7000, 5, List.of(
        new NumericColumn("x", new double[] {1.5, Double.NaN, -0.0, Double.POSITIVE_INFINITY, 1e-300}),
        new StringColumn("s", new String[] {"Zürich", null, "日本語 🚀", "", "Zürich"}),
        new BooleanColumn("b", new byte[] {1, 0, BooleanColumn.MISSING, 1, 0})));
    Batch back = BatchSerde.decode(BatchSerde.encode(b));
    assertEquals(b, back);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.numeric("x").get(2)));
  }

  @Test
  void smallIntegerColumns_travelAsOneBytePerValue_exactly() {
    int n = 1000;
    double[] flags = new double[n];
    double[] counts = new double[n];
    double[] nearly = new double[n];
    double[] negZero = new double[n];
    double[] big = new double[n];
    for (int i = 0; i < n; i++) {
      flags[i] = i % 2;
      counts[i] = i % 7 == 0 ? Double.NaN : (i % 255) - 127;
      nearly[i] = i == 500 ? 0.5 : 1;
      negZero[i] = i == 3 ? -0.0 : 0;
      big[i] = i == 9 ? 128 : -127;
    }
    Batch small = Batch.of(new NumericColumn("flag", flags), new NumericColumn("count", counts));
    byte[] bytes = BatchSerde.encode(small);
    assertTrue(bytes.length < 2 * n + 100, "one byte a value: " + bytes.length);
    assertEquals(small, BatchSerde.decode(bytes));
    for (double[] raw : List.of(nearly, negZero, big)) {
      Batch b = Batch.of(new NumericColumn("x", raw));
      byte[] rawBytes = BatchSerde.encode(b);
      assertTrue(rawBytes.length >= 8 * n, "not small: raw doubles");
      Batch back = BatchSerde.decode(rawBytes);
      assertEquals(b, back);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToRawLongBits(raw[i]), Double.doubleToRawLongBits(back.numeric("x").get(i)));
      }
    }
    double[] payload = {Double.longBitsToDouble(0x7ff8000000000001L), 1};
    Batch odd = Batch.of(new NumericColumn("x", payload));
    assertEquals(0x7ff8000000000001L,
        Double.doubleToRawLongBits(BatchSerde.decode(BatchSerde.encode(odd)).numeric("x").get(0)),
        "a NaN with a payload keeps its bits");
  }

  @Test
  void roundTrip_emptyBatchAndBatchWithoutColumns() {
    Batch empty = new Batch(0, 0, 0, List.of(new NumericColumn("x", new double[0]),
        new StringColumn("s", new String[0])));
    assertEquals(empty, BatchSerde.decode(BatchSerde.encode(empty)));
    Batch none = Batch.of();
    assertEquals(none, BatchSerde.decode(BatchSerde.encode(none)));
  }

  @Test
  void roundTrip_millionRowsWithWideDictionary() {
    int n = 1_000_000;
    double[] x = new double[n];
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = i % 97 == 0 ? Double.NaN : i * 0.5;
      s[i] = i % 101 == 0 ? null : "id-" + (i % 70_000);
    }
    Batch b = new Batch(3, 42, n, List.of(new NumericColumn("x", x), new StringColumn("s", s)));
    byte[] bytes = BatchSerde.encode(b);
    assertEquals(b, BatchSerde.decode(bytes));
    assertTrue(bytes.length < n * (8 + 4 + 1), "dictionary codes keep the encoding compact: " + bytes.length);
  }

  @Test
  void aBatchIsEncodedOnce_laterEncodingsShareThatForm() {
    Batch b = Batch.of(new NumericColumn("x", new double[] {1.5, Double.NaN}), new StringColumn("s", new String[] {"a", null}));
    byte[] first = BatchSerde.encode(b);
    assertSame(first, BatchSerde.encode(b));
    assertEquals(b, BatchSerde.decode(first));
    assertNotSame(first, BatchSerde.encode(Batch.of(new NumericColumn("x", new double[] {1.5, Double.NaN}),
        new StringColumn("s", new String[] {"a", null}))), "an equal batch is another batch");
  }

  @Test
  void decode_rejectsForeignBytesWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BatchSerde.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    assertTrue(e.getMessage().contains("not a busflow batch"), e.getMessage());
  }

  @Test
  void batch_rejectsColumnsOfUnequalLengthAndDuplicateNames() {
    assertThrows(IllegalArgumentException.class, () -> new Batch(0, 0, 2,
        List.of(new NumericColumn("x", new double[] {1}))));
    assertThrows(IllegalArgumentException.class, () -> Batch.of(
        new NumericColumn("x", new double[] {1}), new NumericColumn("x", new double[] {2})));
  }
}
