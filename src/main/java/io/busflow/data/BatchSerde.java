package io.busflow.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of a {@link Batch}: numbers as raw IEEE-754 bits (so {@code NaN} payloads,
 * infinities and {@code -0.0} survive), or as one byte each when every value of the column is an integer
 * from -127 to 127 or the canonical {@code NaN} (one-hot features, flags, predicted classes, small counts:
 * an eighth of the bytes on the wire); text dictionary-encoded in UTF-8 with 1-, 2- or 4-byte codes.
 * {@code decode(encode(b)).equals(b)} holds for every batch whose strings are valid Unicode. A batch is
 * encoded at most once: it keeps its wire form, so a sender can encode it ahead, off the thread that sends.
 * The rows' {@link RowOrigin}, when known, travels after the columns (a source name and one line number for
 * rows on consecutive lines).
 */
public final class BatchSerde {

  private static final int MAGIC = 0x4246_4233; // "BFB3": numeric columns carry an encoding byte; the rows' origin follows them
  private static final byte RAW = 0;
  private static final byte SMALL = 1;
  /** The byte of a canonical {@code NaN} (a missing value) in a {@link #SMALL} column. */
  private static final byte SMALL_NAN = Byte.MIN_VALUE;
  private static final long NAN_BITS = Double.doubleToRawLongBits(Double.NaN);

  private BatchSerde() {}

  /** The wire form of {@code batch}; the array is shared — never change it. */
  public static byte[] encode(Batch batch) {
    byte[] done = batch.encoded();
    if (done == null) {
      done = encodeNow(batch);
      batch.encoded(done);
    }
    return done;
  }

  private static byte[] encodeNow(Batch batch) {
    List<byte[]> names = new ArrayList<>();
    List<Dictionary> dicts = new ArrayList<>();
    List<byte[]> small = new ArrayList<>();
    int size = 4 + 8 + 8 + 4 + 4;
    for (Column c : batch.columns()) {
      byte[] name = c.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 4 + name.length + 1;
      Dictionary d = c instanceof StringColumn s ? Dictionary.of(s) : null;
      dicts.add(d);
      byte[] bytes = c instanceof NumericColumn n ? smallIntegers(n.values()) : null;
      small.add(bytes);
      size += switch (c.type()) {
        case NUMERIC -> 1 + (bytes != null ? bytes.length : 8 * batch.rowCount());
        case BOOLEAN -> batch.rowCount();
        case STRING -> d.encodedSize(batch.rowCount());
      };
    }
    RowOrigin origin = batch.origin();
    size += 1 + (origin == null ? 0 : origin.encodedSize());
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(MAGIC).putLong(batch.index()).putLong(batch.firstRow());
    out.putInt(batch.rowCount()).putInt(batch.columns().size());
    for (int i = 0; i < batch.columns().size(); i++) {
      Column c = batch.columns().get(i);
      out.putInt(names.get(i).length).put(names.get(i)).put((byte) c.type().ordinal());
      if (c instanceof NumericColumn n && small.get(i) != null) {
        out.put(SMALL).put(small.get(i));
      } else if (c instanceof NumericColumn n) {
        out.put(RAW);
        putDoubles(out, n.values());
      } else if (c instanceof BooleanColumn b) {
        out.put(b.values());
      } else {
        dicts.get(i).write(out, ((StringColumn) c).values());
      }
    }
    out.put((byte) (origin == null ? 0 : 1));
    if (origin != null) {
      origin.write(out);
    }
    return out.array();
  }

  public static Batch decode(byte[] bytes) {
    return decode(ByteBuffer.wrap(bytes));
  }

  public static Batch decode(ByteBuffer in) {
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(
          "not a busflow batch: header 0x" + Integer.toHexString(magic) + " (expected 0x"
              + Integer.toHexString(MAGIC) + "); sender and receiver may run different busflow versions");
    }
    long index = in.getLong();
    long firstRow = in.getLong();
    int rows = in.getInt();
    int count = in.getInt();
    List<Column> columns = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[in.getInt()];
      in.get(name);
      String n = new String(name, StandardCharsets.UTF_8);
      ColumnType type = ColumnType.values()[in.get()];
      columns.add(switch (type) {
        case NUMERIC -> new NumericColumn(n, in.get() == SMALL ? fromSmall(in, rows) : getDoubles(in, rows));
        case BOOLEAN -> new BooleanColumn(n, getBytes(in, rows));
        case STRING -> new StringColumn(n, Dictionary.read(in, rows));
      });
    }
    RowOrigin origin = in.get() == 1 ? RowOrigin.read(in, rows) : null;
    return new Batch(index, firstRow, rows, columns, origin);
  }

  /** The values as one byte each, or null when one of them is not an integer in [-127, 127] nor the canonical NaN. */
  private static byte[] smallIntegers(double[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      long bits = Double.doubleToRawLongBits(v);
      if (bits == NAN_BITS) {
        out[i] = SMALL_NAN;
      } else if (v >= -127 && v <= 127 && bits == Double.doubleToRawLongBits((byte) v)) {
        out[i] = (byte) v; // exact: also rejects -0.0 and fractions
      } else {
        return null;
      }
    }
    return out;
  }

  private static double[] fromSmall(ByteBuffer in, int rows) {
    double[] values = new double[rows];
    for (int i = 0; i < rows; i++) {
      byte b = in.get();
      values[i] = b == SMALL_NAN ? Double.NaN : b;
    }
    return values;
  }

  private static void putDoubles(ByteBuffer out, double[] values) {
    out.asDoubleBuffer().put(values);
    out.position(out.position() + 8 * values.length);
  }

  private static double[] getDoubles(ByteBuffer in, int rows) {
    double[] values = new double[rows];
    in.asDoubleBuffer().get(values);
    in.position(in.position() + 8 * rows);
    return values;
  }

  private static byte[] getBytes(ByteBuffer in, int rows) {
    byte[] values = new byte[rows];
    in.get(values);
    return values;
  }

  /** Distinct strings of one column, in first-seen order, with the code width their count needs. */
  private record Dictionary(List<byte[]> entries, Map<String, Integer> codes, int width) {

    static Dictionary of(StringColumn column) {
      Map<String, Integer> codes = new HashMap<>();
      List<byte[]> entries = new ArrayList<>();
      for (String v : column.values()) {
        if (v != null && !codes.containsKey(v)) {
          codes.put(v, entries.size());
          entries.add(v.getBytes(StandardCharsets.UTF_8));
        }
      }
      int n = entries.size() + 1; // code 0 is "missing"
      int width = n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : 4;
      return new Dictionary(entries, codes, width);
    }

    int encodedSize(int rows) {
      int size = 4 + 1 + rows * width;
      for (byte[] e : entries) {
        size += 4 + e.length;
      }
      return size;
    }

    void write(ByteBuffer out, String[] values) {
      out.putInt(entries.size()).put((byte) width);
      for (byte[] e : entries) {
        out.putInt(e.length).put(e);
      }
      for (String v : values) {
        int code = v == null ? 0 : codes.get(v) + 1;
        switch (width) {
          case 1 -> out.put((byte) code);
          case 2 -> out.putShort((short) code);
          default -> out.putInt(code);
        }
      }
    }

    static String[] read(ByteBuffer in, int rows) {
      int size = in.getInt();
      int width = in.get();
      if (width != 1 && width != 2 && width != 4) {
        throw new IllegalArgumentException("corrupt batch: dictionary code width " + width);
      }
      String[] dict = new String[size + 1];
      for (int i = 1; i <= size; i++) {
        byte[] e = new byte[in.getInt()];
        in.get(e);
        dict[i] = new String(e, StandardCharsets.UTF_8);
      }
      String[] values = new String[rows];
      for (int r = 0; r < rows; r++) {
        int code = switch (width) {
          case 1 -> Byte.toUnsignedInt(in.get());
          case 2 -> Short.toUnsignedInt(in.getShort());
          default -> in.getInt();
        };
        values[r] = dict[code];
      }
      return values;
    }
  }
}
