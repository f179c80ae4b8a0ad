package io.busflow.data.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.busflow.data.ColumnType;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines: one JSON object per line, parsed with jackson-core's streaming parser. Blank lines
 * are skipped and are not rows. Keys become columns in order of first appearance in the inference sample;
 * keys first seen after the sample are ignored. A number is NUMERIC, {@code true}/{@code false} BOOLEAN,
 * anything else STRING (a nested object or array is kept as its JSON text); {@code null} or an absent key
 * is a missing value, and so is a string listed in {@link ReadOptions#withMissing}. A malformed line, a line
 * that is not an object and a value of the wrong type for its column are bad rows. A piece of a file
 * ({@link ReadOptions#withRange}) that does not start at byte 0 has the columns of the declared schema, in its
 * order (those of the first piece, read as a whole file is).
 */
final class JsonLinesBatchReader extends SampledBatchReader<JsonLinesBatchReader.Line> {

  private static final JsonFactory JSON = new JsonFactory();

  /** A line of text and its 1-based line number; {@code text} is null for a line past the bound, of {@code chars}. */
  record Line(long number, String text, long chars) {
  }

  private final CheckedUtf8Reader text;
  private final BoundedLines lines;
  private final int maxRecordChars;
  private long lineNumber;

  private JsonLinesBatchReader(Path path, ReadOptions options) {
    super(path);
    ReadOptions.ByteRange range = options.range();
    this.text = range == null ? CheckedUtf8Reader.forLines(Inputs.open(path))
        : CheckedUtf8Reader.forLines(Inputs.open(path, range), range.firstLine(), range.start());
    this.lineNumber = range == null ? 0 : range.firstLine() - 1;
    this.maxRecordChars = options.maxRecordChars();
    this.lines = new BoundedLines(text, maxRecordChars);
    try {
      fillSample(options);
      Map<String, TypeGuess> guesses = guessTypes(MissingTokens.of(options.missing()));
      if (range != null && range.start() > 0 && options.schema() != null) {
        guesses.clear();
        options.schema().names().forEach(n -> guesses.put(n, new TypeGuess()));
      }
      Schema schema = Inputs.settle(path, new ArrayList<>(guesses.keySet()), new ArrayList<>(guesses.values()),
          options.sampleRows(), options.schema());
      this.assembler = new BatchAssembler(path, schema, options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static JsonLinesBatchReader open(Path path, ReadOptions options) {
    return new JsonLinesBatchReader(path, options);
  }

  /** The next non-blank line, or null at the end of the file. */
  @Override
  protected Line fetch() {
    try {
      String s;
      while ((s = lines.next()) != null) {
        lineNumber++;
        if (lines.tooLong()) {
          return new Line(lineNumber, null, lines.length());
        }
        if (!s.isBlank()) {
          return new Line(lineNumber, s, s.length());
        }
      }
      return null;
    } catch (IOException e) {
      throw Inputs.readFailed(path, e);
    }
  }

  private Map<String, TypeGuess> guessTypes(MissingTokens missing) {
    Map<String, TypeGuess> guesses = new LinkedHashMap<>();
    for (Line line : sample) {
      if (line.text() == null) {
        continue;
      }
      try (JsonParser p = JSON.createParser(line.text())) {
        guessFrom(p, guesses, line.number(), missing);
      } catch (IOException e) {
        // a malformed line proves nothing about types; it is rejected when its turn comes
      }
    }
    return guesses;
  }

  private static void guessFrom(JsonParser p, Map<String, TypeGuess> guesses, long line, MissingTokens missing)
      throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      TypeGuess guess = guesses.computeIfAbsent(p.currentName(), k -> new TypeGuess());
      JsonToken t = p.nextToken();
      if (t.isNumeric()) {
        guess.offerNumber(line, p.getText());
      } else if (t.isBoolean()) {
        guess.offerBoolean(line, p.getText());
      } else if (t != JsonToken.VALUE_NULL && !(t == JsonToken.VALUE_STRING && missing.matches(p.getText()))) {
        guess.offerOther(line, t.isScalarValue() ? p.getText() : t == JsonToken.START_OBJECT ? "{…}" : "[…]");
        p.skipChildren();
      }
    }
  }

  @Override
  protected long chars(Line line) {
    return line.text() == null ? 0 : line.chars();
  }

  @Override
  protected void addRow(Line line) {
    assembler.beginRow(line.number());
    CheckedUtf8Reader.InvalidBytes invalid = takeInvalidBytes(line.number());
    if (invalid != null) {
      assembler.rejectRow(line.number(), null, null, "has invalid UTF-8 at byte offset "
          + invalid.byteOffset(), "the file must be UTF-8; convert it, e.g. iconv -f latin1 -t utf-8,"
          + " or use badRows=skip");
      return;
    }
    if (line.text() == null) {
      assembler.rejectRow(line.number(), null, null, "has " + line.chars() + " characters, more than the "
          + maxRecordChars + " a line may have (read.maxRecordChars)", "shorten the line, raise read.maxRecordChars, "
          + "or use badRows=skip");
      return;
    }
    assembler.clearRow();
    try (JsonParser p = JSON.createParser(line.text())) {
      if (setRow(p, line.number())) {
        assembler.acceptRow();
      }
    } catch (JsonProcessingException e) {
      assembler.rejectRow(line.number(), null, Values.shortened(line.text()),
          "is not valid JSON: " + e.getOriginalMessage(), "fix the line, or use badRows=skip");
    } catch (IOException e) {
      throw Inputs.readFailed(path, e);
    }
  }

  private boolean setRow(JsonParser p, long line) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return assembler.rejectRow(line, null, null, "is not a JSON object",
          "write one {...} object per line, or use badRows=skip");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      int col = assembler.schema().indexOf(p.currentName());
      JsonToken t = p.nextToken();
      if (col < 0) {
        p.skipChildren();
      } else if (t != JsonToken.VALUE_NULL && !setValue(p, t, col, line)) {
        return false;
      }
    }
    if (p.nextToken() != null) {
      return assembler.rejectRow(line, null, null, "has more after its JSON object",
          "write one object per line, or use badRows=skip");
    }
    return true;
  }

  private boolean setValue(JsonParser p, JsonToken t, int col, long line) throws IOException {
    ColumnType type = assembler.schema().field(col).type();
    if (type == ColumnType.STRING) {
      return assembler.setString(col, t.isStructStart() ? structureText(p) : p.getText(), line);
    }
    if (type == ColumnType.NUMERIC && t.isNumeric()) {
      double v = p.getDoubleValue();
      if (Double.isInfinite(v)) { // past the doubles' range (1e400): a bad row, as in a CSV
        return assembler.reject(line, col, p.getText(), "is not a number");
      }
      assembler.setNumber(col, v);
      return true;
    }
    if (type == ColumnType.BOOLEAN && t.isBoolean()) {
      assembler.setBoolean(col, t == JsonToken.VALUE_TRUE);
      return true;
    }
    String value = t.isStructStart() ? structureText(p) : p.getText();
    if (t == JsonToken.VALUE_STRING && assembler.isMissing(value)) {
      assembler.setMissing(col);
      return true;
    }
    return assembler.reject(line, col, value,
        type == ColumnType.NUMERIC ? "is not a number" : "is not a boolean (true/false)");
  }

  private static String structureText(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toString();
  }

  private CheckedUtf8Reader.InvalidBytes takeInvalidBytes(long line) {
    ArrayDeque<CheckedUtf8Reader.InvalidBytes> queue = text.invalidBytes();
    CheckedUtf8Reader.InvalidBytes first = null;
    while (!queue.isEmpty() && queue.peek().line() <= line) {
      CheckedUtf8Reader.InvalidBytes next = queue.poll();
      first = first == null ? next : first;
    }
    return first;
  }

  @Override
  public void close() {
    try {
      lines.close();
    } catch (IOException e) {
      // nothing was written; a failing close of an input loses nothing
    }
  }
}
