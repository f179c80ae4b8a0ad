package io.busflow.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Decodes UTF-8 strictly and keeps count of physical lines, for the readers.
 *
 * <p>The decoder REPORTs malformed input; each malformed sequence is recorded with its line and byte
 * offset as an {@link InvalidBytes} and stands as one U+FFFD in the text, so that the row containing it can
 * be rejected or failed by the reader: never silently replaced. A leading UTF-8 byte-order mark is dropped.
 * Lines end at CR, LF or CRLF, as FastCSV counts them.
 *
 * <p>For CSV it also follows quoting with a four-state machine, only to report what FastCSV accepts
 * silently: a quoted field still open at the end of the file ({@link #openQuoteLine()}).
 */
final class CheckedUtf8Reader extends Reader {

  /** A malformed UTF-8 sequence: the line it is on and the offset of its first byte in the file. */
  record InvalidBytes(long line, long byteOffset) {
  }

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;
  private static final int NO_QUOTES = -1;
  private static final int BUFFER_BYTES = 1 << 16;

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
  private final ArrayDeque<InvalidBytes> invalid = new ArrayDeque<>();
  private final char quote;
  private final char delimiter;
  private long bufferOffset;
  private boolean started;
  private boolean eof;
  private long line;
  private boolean afterCr;
  private int quoteState;
  private long quoteLine;

  private CheckedUtf8Reader(InputStream in, char delimiter, boolean trackQuotes) {
    this(in, delimiter, trackQuotes, 1, 0);
  }

  private CheckedUtf8Reader(InputStream in, char delimiter, boolean trackQuotes, long firstLine, long firstByte) {
    this.in = in;
    this.line = firstLine;
    this.bufferOffset = firstByte;
    this.quote = '"';
    this.delimiter = delimiter;
    this.quoteState = trackQuotes ? FIELD_START : NO_QUOTES;
  }

  /** A reader for CSV text that also watches quoting with the given delimiter. */
  static CheckedUtf8Reader forCsv(InputStream in, char delimiter) {
    return new CheckedUtf8Reader(in, delimiter, true);
  }

  /**
   * A reader for CSV text that starts at line {@code firstLine}, byte {@code firstByte} of its file (a piece
   * of a file read on its own): lines and byte offsets it reports are the file's.
   */
  static CheckedUtf8Reader forCsv(InputStream in, char delimiter, long firstLine, long firstByte) {
    return new CheckedUtf8Reader(in, delimiter, true, firstLine, firstByte);
  }

  /** A reader for line-oriented text without quoting rules. */
  static CheckedUtf8Reader forLines(InputStream in) {
    return new CheckedUtf8Reader(in, '\n', false);
  }

  /** {@link #forLines(InputStream)} for a piece of a file starting at line {@code firstLine}, byte {@code firstByte}. */
  static CheckedUtf8Reader forLines(InputStream in, long firstLine, long firstByte) {
    return new CheckedUtf8Reader(in, '\n', false, firstLine, firstByte);
  }

  /** Malformed sequences decoded so far and not yet taken, oldest first. */
  ArrayDeque<InvalidBytes> invalidBytes() {
    return invalid;
  }

  /** The line where a quoted field opened that is still open at the end of input, or {@code 0}. */
  long openQuoteLine() {
    return eof && !bytes.hasRemaining() && quoteState >= QUOTED ? quoteLine : 0;
  }

  /** The line where the quoted field being read opened, or {@code 0} when none is open. */
  long currentQuoteLine() {
    return quoteState == QUOTED ? quoteLine : 0;
  }

  /**
   * Reads up to {@code len} characters, as many as fit in {@code cbuf} after {@code off}: FastCSV 4.4 asks for its
   * read size even when its buffer, grown to its bound, has less room left; reading what fits (0 when nothing does)
   * lets it go on to its own "maximum buffer size" error instead of an IndexOutOfBoundsException.
   */
  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    len = Math.max(0, Math.min(len, cbuf.length - off));
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    int scanFrom = off;
    while (out.hasRemaining()) {
      fillIfEmpty();
      CoderResult result = decoder.decode(bytes, out, eof);
      if (result.isError() && out.hasRemaining()) {
        scan(cbuf, scanFrom, out.position());
        replaceMalformed(out, result.length());
        scanFrom = out.position();
      } else if (!result.isUnderflow() || eof || out.position() > off) {
        break;
      } else {
        refill();
      }
    }
    scan(cbuf, scanFrom, out.position());
    int n = out.position() - off;
    return n == 0 && len > 0 ? -1 : n;
  }

  private void replaceMalformed(CharBuffer out, int length) {
    invalid.add(new InvalidBytes(line, bufferOffset + bytes.position()));
    bytes.position(bytes.position() + length);
    out.put('\uFFFD');
    afterCr = false;
    if (quoteState == FIELD_START || quoteState == QUOTE_IN_QUOTED) {
      quoteState = UNQUOTED;
    }
  }

  private void fillIfEmpty() throws IOException {
    if (!started) {
      started = true;
      refill();
      skipByteOrderMark();
    } else if (!bytes.hasRemaining() && !eof) {
      refill();
    }
  }

  private void refill() throws IOException {
    bufferOffset += bytes.position();
    bytes.compact();
    int n = in.readNBytes(bytes.array(), bytes.position(), bytes.remaining());
    bytes.position(bytes.position() + n);
    if (bytes.hasRemaining()) {
      eof = true;
    }
    bytes.flip();
  }

  private void skipByteOrderMark() {
    if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
        && (bytes.get(2) & 0xFF) == 0xBF) {
      bytes.position(3);
    }
  }

  private void scan(char[] cbuf, int from, int to) {
    if (quoteState == NO_QUOTES) {
      countLines(cbuf, from, to);
      return;
    }
    if (quoteState != QUOTED && to > from && scanPlain(cbuf, from, to)) {
      return;
    }
    for (int i = from; i < to; i++) {
      char c = cbuf[i];
      if (c == quote) {
        onQuote();
      } else if (c == delimiter) {
        onDelimiter();
      } else if (c == '\n' || c == '\r') {
        onLineBreak(c);
        continue;
      } else if (quoteState != QUOTED) {
        quoteState = UNQUOTED;
      }
      afterCr = false;
    }
  }

  /**
   * The common case in one cheap pass: text outside quotes holding no quote and no carriage return, where
   * only line feeds count and the state after it follows from its last character. Returns false, having
   * changed nothing, when the text needs the full state machine.
   */
  private boolean scanPlain(char[] cbuf, int from, int to) {
    long feeds = 0;
    for (int i = from; i < to; i++) {
      char c = cbuf[i];
      if (c <= '"') {
        if (c == '\n') {
          feeds++;
        } else if (c == '"' || c == '\r') {
          return false;
        }
      }
    }
    if (afterCr && cbuf[from] == '\n') {
      feeds--;
    }
    line += feeds;
    afterCr = false;
    char last = cbuf[to - 1];
    quoteState = last == delimiter || last == '\n' ? FIELD_START : UNQUOTED;
    return true;
  }

  private void onQuote() {
    if (quoteState == FIELD_START) {
      quoteState = QUOTED;
      quoteLine = line;
    } else if (quoteState == QUOTED) {
      quoteState = QUOTE_IN_QUOTED;
    } else if (quoteState == QUOTE_IN_QUOTED) {
      quoteState = QUOTED;
    }
  }

  private void onDelimiter() {
    if (quoteState != QUOTED) {
      quoteState = FIELD_START;
    }
  }

  private void onLineBreak(char c) {
    if (c == '\r' || !afterCr) {
      line++;
    }
    afterCr = c == '\r';
    if (quoteState != QUOTED) {
      quoteState = FIELD_START;
    }
  }

  private void countLines(char[] cbuf, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = cbuf[i];
      if (c == '\n') {
        if (!afterCr) {
          line++;
        }
        afterCr = false;
      } else if (c == '\r') {
        line++;
        afterCr = true;
      } else {
        afterCr = false;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
