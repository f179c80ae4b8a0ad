package io.busflow.data.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Splits a CSV, TSV or JSON Lines file into byte ranges that can be read on their own and in parallel
 * ({@link ReadOptions#withRange}), exactly: each boundary is the first record end outside quotes after its
 * nominal offset, and each range knows the file line it starts on, so that errors keep the file's line
 * numbers.
 *
 * <p>How: a parallel pre-pass cuts the file into chunks that start just after a line feed and, per chunk,
 * counts line breaks and follows the quoting from both states a line feed can leave (outside quotes, or
 * inside a quoted field); composing the chunks in order gives each chunk's quote state and first line
 * exactly. Quoting follows FastCSV's reading (and {@link CheckedUtf8Reader}'s): a quote opens a quoted
 * field only at the start of a field, {@code ""} inside one is a quote. JSON Lines has no quoting: every
 * line feed ends a record. Only line feeds are boundaries, so a file with CR-only line ends is one range.
 *
 * <p>The first range starts at byte 0 and holds the header and, when the file has that many, the first
 * {@code sampleRows} rows, so that types are inferred from the rows a whole read infers them from. Ranges
 * are never empty; a file below {@code minBytes}, or without a usable boundary, is one range.
 * Blocking file I/O on the calling thread and the common fork-join pool.
 */
public final class SplitPlanner {

  /** Files smaller than this are read whole by default: 8 MiB. */
  public static final long DEFAULT_MIN_BYTES = 8L << 20;
  /** Pre-pass chunks: 256 KiB, below the size G1 allocates apart (half a region) in a small heap. */
  static final int CHUNK_BYTES = 256 << 10;

  private static final java.lang.invoke.VarHandle WORDS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long LF = 0x0A0A0A0A0A0A0A0AL;
  private static final long CR = 0x0D0D0D0D0D0D0D0DL;
  private static final long QUOTES = 0x2222222222222222L;
  /** Each byte 0x23, one above '"': a byte below it in a word is found as by {@code hasless} (exact for any byte). */
  private static final long BELOW_QUOTE = 0x2323232323232323L;
  private static final long HIGH = 0x8080808080808080L;
  /**
   * Each pre-pass thread's chunk buffer, reused from chunk to chunk and from plan to plan (at most two chunks' bytes
   * a thread; a chunk larger than that, a line longer than a chunk, gets a buffer of its own).
   */
  private static final ThreadLocal<ByteBuffer> BUFFERS = new ThreadLocal<>();

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private final FileChannel channel;
  private final long size;
  private final int chunkBytes;
  /** The delimiter as a byte, or -1 for JSON Lines (no quoting). */
  private final int delimiter;
  private long[] chunkStart;
  /** Per chunk: its quote state at its start (FIELD_START or QUOTED) and its first line. */
  private int[] chunkState;
  private long[] chunkLine;

  private SplitPlanner(FileChannel channel, long size, int delimiter, int chunkBytes) {
    this.chunkBytes = chunkBytes;
    this.channel = channel;
    this.size = size;
    this.delimiter = delimiter;
  }

  /**
   * The ranges of {@code path} for {@code parts} readers, in file order, together covering the file.
   *
   * @param options  how the file is read (delimiter, header, sample rows)
   * @param parts    how many ranges are wanted at most (at least 1)
   * @param minBytes files smaller than this are one range
   * @throws DataException when the file cannot be read
   */
  public static List<ReadOptions.ByteRange> plan(Path path, ReadOptions options, int parts, long minBytes) {
    return plan(path, options, parts, minBytes, CHUNK_BYTES);
  }

  /** {@link #plan(Path, ReadOptions, int, long)} with pre-pass chunks of {@code chunkBytes} (tests use tiny ones). */
  static List<ReadOptions.ByteRange> plan(Path path, ReadOptions options, int parts, long minBytes, int chunkBytes) {
    String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    boolean lines = name.endsWith(".jsonl") || name.endsWith(".ndjson");
    char d = options.delimiterOr(name.endsWith(".tsv") ? '\t' : ',');
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (parts <= 1 || size < Math.max(1, minBytes) || (!lines && d > 127)) {
        return List.of(new ReadOptions.ByteRange(0, size, 1));
      }
      SplitPlanner p = new SplitPlanner(ch, size, lines ? -1 : d, chunkBytes);
      p.prePass();
      int skipRecords = (options.header() && !lines ? 1 : 0) + options.sampleRows();
      return p.ranges(parts, skipRecords);
    } catch (IOException e) {
      throw Inputs.readFailed(path, e);
    } catch (java.io.UncheckedIOException e) {
      throw Inputs.readFailed(path, e.getCause());
    }
  }

  /** What a chunk does: line breaks, and the state it leaves from either start state. */
  private record ChunkFacts(long lineBreaks, int endFromOutside, int endFromQuoted) {}

  private void prePass() {
    int n = (int) Math.max(1, (size + chunkBytes - 1) / chunkBytes);
    long[] starts = IntStream.range(0, n).parallel().mapToLong(j -> j == 0 ? 0 : afterLineFeed((long) j * chunkBytes))
        .toArray();
    chunkStart = starts;
    ChunkFacts[] facts = IntStream.range(0, n).parallel().mapToObj(j -> facts(starts[j], end(j)))
        .toArray(ChunkFacts[]::new);
    chunkState = new int[n];
    chunkLine = new long[n];
    int state = FIELD_START;
    long line = 1;
    for (int j = 0; j < n; j++) {
      chunkState[j] = state;
      chunkLine[j] = line;
      line += facts[j].lineBreaks();
      state = state == QUOTED ? facts[j].endFromQuoted() : facts[j].endFromOutside();
    }
  }

  private long end(int j) {
    return j + 1 < chunkStart.length ? chunkStart[j + 1] : size;
  }

  /** The position just after the first line feed at or after {@code from}, or the file's size. */
  private long afterLineFeed(long from) {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (long at = from; at < size; at += buf.limit()) {
      read(buf, at);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) == '\n') {
          return at + i + 1;
        }
      }
    }
    return size;
  }

  private void read(ByteBuffer buf, long at) {
    read(buf, at, buf.capacity());
  }

  /** Reads at most {@code length} bytes at {@code at} into {@code buf}, flipped for reading. */
  private void read(ByteBuffer buf, long at, int length) {
    buf.clear();
    buf.limit((int) Math.min(length, size - at));
    try {
      while (buf.hasRemaining()) {
        if (channel.read(buf, at + buf.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    buf.flip();
  }

  private ChunkFacts facts(long from, long to) {
    if (to <= from) {
      return new ChunkFacts(0, FIELD_START, QUOTED);
    }
    ByteBuffer buf = buffer((int) (to - from));
    read(buf, from, (int) (to - from));
    byte[] b = buf.array();
    int len = buf.limit();
    long breaks = 0;
    boolean quotes = false;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      long word = (long) WORDS.get(b, i);
      if (((word - BELOW_QUOTE) & ~word & HIGH) == 0) {
        continue; // no byte below '"': no line feed, carriage return or quote in these 8
      }
      breaks += Long.bitCount(matches(word, LF));
      long special = matches(word, CR) | matches(word, QUOTES);
      if (special != 0) {
        for (int k = i; k < i + 8; k++) {
          quotes |= b[k] == '"';
          breaks += b[k] == '\r' && (k + 1 >= len || b[k + 1] != '\n') ? 1 : 0;
        }
      }
    }
    for (; i < len; i++) {
      byte c = b[i];
      if (c == '\n' || (c == '\r' && (i + 1 >= len || b[i + 1] != '\n'))) {
        breaks++;
      } else if (c == '"') {
        quotes = true;
      }
    }
    if (!quotes || delimiter < 0) {
      return new ChunkFacts(breaks, endWithoutQuotes(b, len), QUOTED);
    }
    return new ChunkFacts(breaks, run(b, len, FIELD_START), run(b, len, QUOTED));
  }

  /** A buffer of {@code bytes} capacity at least: this thread's, or a new one when it holds more than a chunk. */
  private ByteBuffer buffer(int bytes) {
    ByteBuffer b = BUFFERS.get();
    if (b != null && b.capacity() >= bytes) {
      return b;
    }
    ByteBuffer fresh = ByteBuffer.allocate(bytes);
    if (bytes <= 2 * chunkBytes) {
      BUFFERS.set(fresh);
    }
    return fresh;
  }

  /** The high bit of each byte of {@code word} that equals the byte repeated in {@code pattern}, exactly. */
  private static long matches(long word, long pattern) {
    long v = word ^ pattern;
    long t = (v & LOW7) + LOW7;
    return ~(t | v | LOW7);
  }

  /** The state after the last byte of a chunk without quotes, starting outside quotes. */
  private int endWithoutQuotes(byte[] b, int len) {
    byte last = b[len - 1];
    return last == '\n' || last == '\r' || last == delimiter ? FIELD_START : UNQUOTED;
  }

  private int run(byte[] b, int len, int state) {
    for (int i = 0; i < len; i++) {
      state = step(state, b[i]);
    }
    return state;
  }

  /** FastCSV's quoting, byte by byte (the bytes that matter are ASCII, never part of a UTF-8 sequence). */
  private int step(int state, byte c) {
    if (delimiter < 0) {
      return FIELD_START;
    }
    if (c == '"') {
      return state == FIELD_START ? QUOTED : state == QUOTED ? QUOTE_IN_QUOTED
          : state == QUOTE_IN_QUOTED ? QUOTED : UNQUOTED;
    }
    if (state == QUOTED) {
      return QUOTED;
    }
    if (c == delimiter || c == '\n' || c == '\r') {
      return FIELD_START;
    }
    return UNQUOTED;
  }

  /** The ranges: boundaries at the first record end at or after each nominal offset. */
  private List<ReadOptions.ByteRange> ranges(int parts, int skipRecords) {
    Position min = afterRecords(skipRecords);
    List<ReadOptions.ByteRange> out = new ArrayList<>();
    Position from = new Position(0, 1);
    for (int i = 1; i < parts && from.at() < size; i++) {
      long nominal = Math.max(size * i / parts, min.at());
      if (nominal <= from.at()) {
        continue;
      }
      Position cut = recordEndFrom(nominal);
      if (cut.at() >= size) {
        break;
      }
      out.add(new ReadOptions.ByteRange(from.at(), cut.at(), from.line()));
      from = cut;
    }
    out.add(new ReadOptions.ByteRange(from.at(), size, from.line()));
    return out;
  }

  /** A byte position at the start of a line, and that line's number. */
  private record Position(long at, long line) {}

  /**
   * The position just after the first line feed outside quotes at or after {@code nominal} (so that the
   * position is at least {@code nominal}), with its line; the file's size when there is none.
   */
  private Position recordEndFrom(long nominal) {
    int j = chunkOf(Math.max(0, nominal - 1)); // the chunk that holds a line feed ending right at nominal
    Walker w = new Walker(chunkStart[j], chunkLine[j], chunkState[j]);
    return w.until(nominal, 0);
  }

  /** The position after the first {@code records} non-blank records (0 when none are asked for). */
  private Position afterRecords(int records) {
    if (records <= 0) {
      return new Position(0, 1);
    }
    return new Walker(0, 1, FIELD_START).until(0, records);
  }

  private int chunkOf(long at) {
    int lo = 0;
    int hi = chunkStart.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (chunkStart[mid] <= at) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Walks the file from a known position and state, counting lines and records. */
  private final class Walker {
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private long at;
    private long line;
    private int state;
    private long records;
    private boolean recordHasBytes;
    private byte prev;

    Walker(long at, long line, int state) {
      this.at = at;
      this.line = line;
      this.state = state;
    }

    /**
     * Walks to just after a line feed that ends a record outside quotes, at a position of at least
     * {@code nominal} and after at least {@code wantRecords} non-blank records; the file's size if none.
     */
    Position until(long nominal, long wantRecords) {
      while (at < size) {
        read(buf, at);
        int n = buf.limit();
        for (int i = 0; i < n; i++) {
          byte c = buf.get(i);
          boolean ends = (c == '\n' || c == '\r') && state != QUOTED;
          if (c == '\n' || (c == '\r' && (at + i + 1 >= size || peek(i, n) != '\n'))) {
            line++;
          }
          boolean lineFeedAfterCr = c == '\n' && prev == '\r';
          if (ends && recordHasBytes && !lineFeedAfterCr) {
            records++;
          }
          recordHasBytes = ends ? false : recordHasBytes || (c != '\r' && c != '\n');
          state = step(state, c);
          prev = c;
          if (ends && c == '\n' && at + i + 1 >= nominal && records >= wantRecords) {
            return new Position(at + i + 1, line);
          }
        }
        at += n;
      }
      return new Position(size, line);
    }

    /** The byte after index {@code i} of the buffer, reading on when the buffer ends there. */
    private byte peek(int i, int n) {
      if (i + 1 < n) {
        return buf.get(i + 1);
      }
      ByteBuffer one = ByteBuffer.allocate(1);
      try {
        channel.read(one, at + n);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return one.get(0);
    }
  }
}
