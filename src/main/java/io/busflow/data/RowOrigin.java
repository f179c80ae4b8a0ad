package io.busflow.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the rows of a {@link Batch} came from: the source's name as shown to users (a path as configured,
 * never the server's absolute path) and the file line on which each row starts. A reader attaches it; every
 * stage keeps it, so a failure deep in a pipeline can still name the file and line of the row it is about.
 *
 * <p>Guarantees: immutable; {@link #line(int)} is exact for every row, also when rows span several lines
 * (quoted line breaks) or when rejected rows were skipped in between. Rows that start on consecutive lines
 * (the common case) are held as one number, on the heap and on the wire.
 */
public final class RowOrigin {

  private final String source;
  private final long firstLine;
  /** Each row's line minus {@link #firstLine}; {@code null} when row {@code i} starts on line {@code firstLine + i}. */
  private final int[] offsets;
  private final int rows;

  private RowOrigin(String source, long firstLine, int[] offsets, int rows) {
    this.source = Objects.requireNonNull(source, "source");
    this.firstLine = firstLine;
    this.offsets = offsets;
    this.rows = rows;
  }

  /** Rows starting on {@code lines[0..rows)} of {@code source}; the lines must ascend. */
  public static RowOrigin of(String source, long[] lines, int rows) {
    if (rows == 0) {
      return new RowOrigin(source, 0, null, 0);
    }
    long first = lines[0];
    boolean consecutive = true;
    for (int i = 1; i < rows && consecutive; i++) {
      consecutive = lines[i] == first + i;
    }
    if (consecutive) {
      return new RowOrigin(source, first, null, rows);
    }
    int[] offsets = new int[rows];
    for (int i = 0; i < rows; i++) {
      long d = lines[i] - first;
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("row " + i + " starts on line " + lines[i] + ", before line " + first
            + " or too far after it; lines must ascend");
      }
      offsets[i] = (int) d;
    }
    return new RowOrigin(source, first, offsets, rows);
  }

  /** The source's name as shown to users. */
  public String source() {
    return source;
  }

  /** The rows this origin describes. */
  public int rows() {
    return rows;
  }

  /** The line on which row {@code row} of the batch starts. */
  public long line(int row) {
    Objects.checkIndex(row, rows);
    return offsets == null ? firstLine + row : firstLine + offsets[row];
  }

  /** {@code "<source> line <n>"}, the way busflow names a row in its messages. */
  public String describe(int row) {
    return source + " line " + line(row);
  }

  /** The origin of rows {@code from} to {@code to} (exclusive). */
  public RowOrigin slice(int from, int to) {
    Objects.checkFromToIndex(from, to, rows);
    return of(source, lines(from, to), to - from);
  }

  /** The origin of the rows at {@code picked}, in that order (which must ascend). */
  public RowOrigin select(int[] picked) {
    long[] out = new long[picked.length];
    for (int i = 0; i < picked.length; i++) {
      out[i] = line(picked[i]);
    }
    return of(source, out, picked.length);
  }

  /**
   * The origin of {@code parts} one after the other, or {@code null} when one lacks it, they name different sources
   * or their lines do not ascend. Reads the parts' lines in place: nothing but the result's own offsets is allocated
   * (none when the rows are on consecutive lines), as a fit joins millions of rows.
   */
  public static RowOrigin concat(List<RowOrigin> parts) {
    if (parts.isEmpty() || parts.get(0) == null) {
      return null;
    }
    String source = parts.get(0).source;
    long total = 0;
    for (RowOrigin p : parts) {
      if (p == null || !p.source.equals(source)) {
        return null;
      }
      total += p.rows;
    }
    int rows = Math.toIntExact(total);
    long first = 0;
    for (RowOrigin p : parts) {
      if (p.rows > 0) {
        first = p.at(0);
        break;
      }
    }
    long previous = Long.MIN_VALUE;
    boolean consecutive = true;
    int i = 0;
    for (RowOrigin p : parts) {
      for (int r = 0; r < p.rows; r++, i++) {
        long line = p.at(r);
        if (line < previous) {
          return null;
        }
        consecutive &= line == first + i;
        previous = line;
      }
    }
    if (consecutive) {
      return new RowOrigin(source, rows == 0 ? 0 : first, null, rows);
    }
    int[] offsets = new int[rows];
    i = 0;
    for (RowOrigin p : parts) {
      for (int r = 0; r < p.rows; r++, i++) {
        long d = p.at(r) - first;
        if (d > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("row " + i + " starts on line " + p.at(r) + ", too far after line "
              + first);
        }
        offsets[i] = (int) d;
      }
    }
    return new RowOrigin(source, first, offsets, rows);
  }

  /** {@link #line} without the index check, for loops over every row. */
  private long at(int row) {
    return offsets == null ? firstLine + row : firstLine + offsets[row];
  }

  private long[] lines(int from, int to) {
    long[] out = new long[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = line(i);
    }
    return out;
  }

  int encodedSize() {
    return 4 + source.getBytes(StandardCharsets.UTF_8).length + 8 + 1 + (offsets == null ? 0 : 4 * rows);
  }

  void write(ByteBuffer out) {
    byte[] name = source.getBytes(StandardCharsets.UTF_8);
    out.putInt(name.length).put(name).putLong(firstLine).put((byte) (offsets == null ? 0 : 1));
    if (offsets != null) {
      for (int o : offsets) {
        out.putInt(o);
      }
    }
  }

  static RowOrigin read(ByteBuffer in, int rows) {
    byte[] name = new byte[in.getInt()];
    in.get(name);
    long first = in.getLong();
    int[] offsets = null;
    if (in.get() == 1) {
      offsets = new int[rows];
      for (int i = 0; i < rows; i++) {
        offsets[i] = in.getInt();
      }
    }
    return new RowOrigin(new String(name, StandardCharsets.UTF_8), first, offsets, rows);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowOrigin r && rows == r.rows && source.equals(r.source) && Arrays.equals(lines(0, rows), r.lines(0, r.rows));
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, rows, rows == 0 ? 0 : line(0));
  }

  @Override
  public String toString() {
    return rows == 0 ? source + " (no rows)" : source + " lines " + line(0) + "–" + line(rows - 1);
  }
}
