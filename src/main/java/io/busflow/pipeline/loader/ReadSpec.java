package io.busflow.pipeline.loader;

import io.busflow.config.ConfigReader;
import io.busflow.data.ColumnType;
import io.busflow.data.io.BadRowPolicy;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.Schema;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to read a source, as a request or a pipeline file states it. JSON keys, all optional:
 * {@code delimiter} (one character; default by extension), {@code header} (default true), {@code schema}
 * ({@code {"column": "numeric" | "string" | "boolean"}}, overriding inference per column),
 * {@code sampleRows} (rows inference looks at, default 1000), {@code batchSize} (default 10000) and
 * {@code badRows} ({@code "fail"}, the default, or {@code "skip"}) and {@code maxFieldChars} (the longest text
 * field, default 1 Mi characters; a longer one rejects its row, naming line, column and limit), {@code maxRecordChars}
 * (the longest record or JSON line, default 16 Mi characters or {@code maxFieldChars} when that is more, the bound
 * on what a reader holds; 0 in the record when not given; see {@link ReadOptions#withMaxRecordChars}) and
 * {@code missing}
 * (texts read as a missing value besides the empty field, such as {@code "NA"}; see
 * {@link ReadOptions#withMissing}).
 */
public record ReadSpec(Character delimiter, boolean header, Map<String, ColumnType> schema, int sampleRows,
                       int batchSize, BadRowPolicy badRows, int maxFieldChars, int maxRecordChars,
                       List<String> missing) {

  public static final ReadSpec DEFAULTS = new ReadSpec(null, true, Map.of(), ReadOptions.DEFAULT_SAMPLE_ROWS,
      ReadOptions.DEFAULT_BATCH_SIZE, BadRowPolicy.FAIL, ReadOptions.DEFAULT_MAX_FIELD_CHARS,
      0, List.of());

  public ReadSpec {
    schema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    missing = List.copyOf(missing);
  }

  /** Reads the keys above from {@code r}, leaving other keys to the caller; errors name the key's path. */
  public static ReadSpec read(ConfigReader r) {
    String d = r.string("delimiter", null);
    if (d != null && d.length() != 1) {
      throw new io.busflow.config.ConfigException(r.path("delimiter"), "is '" + d + "' but must be one character");
    }
    return new ReadSpec(d == null ? null : d.charAt(0), r.bool("header", true), schema(r.object("schema")),
        r.integer("sampleRows", ReadOptions.DEFAULT_SAMPLE_ROWS, 1, 10_000_000),
        r.integer("batchSize", ReadOptions.DEFAULT_BATCH_SIZE, 1, 10_000_000),
        r.enumValue("badRows", BadRowPolicy.class, BadRowPolicy.FAIL),
        r.integer("maxFieldChars", ReadOptions.DEFAULT_MAX_FIELD_CHARS, 1, ReadOptions.MAX_RECORD_CHARS),
        r.has("maxRecordChars") ? r.integer("maxRecordChars", 0, 1, ReadOptions.MAX_RECORD_CHARS) : 0, missing(r));
  }

  private static List<String> missing(ConfigReader r) {
    List<String> tokens = r.strings("missing", List.of());
    ReadOptions.MissingProblem p = ReadOptions.missingProblem(tokens);
    if (p != null) {
      throw new io.busflow.config.ConfigException(r.path("missing") + (p.index() < 0 ? "" : "[" + p.index() + "]"),
          p.problem());
    }
    return tokens;
  }

  private static Map<String, ColumnType> schema(ConfigReader r) {
    Map<String, ColumnType> out = new LinkedHashMap<>();
    for (String column : r.keys()) {
      out.put(column, r.enumValue(column, ColumnType.class, ColumnType.STRING));
    }
    r.done();
    return out;
  }

  /** The same spec with {@code column} declared as {@code type} unless the spec declares it already. */
  public ReadSpec declaring(String column, ColumnType type) {
    if (column == null || schema.containsKey(column)) {
      return this;
    }
    Map<String, ColumnType> s = new LinkedHashMap<>(schema);
    s.put(column, type);
    return new ReadSpec(delimiter, header, s, sampleRows, batchSize, badRows, maxFieldChars, maxRecordChars, missing);
  }

  /**
   * The spec a piece of a file after the first is read with: exactly {@code columns} declared in their order
   * (the columns and types of the first piece; the header line is the first piece's).
   */
  public ReadSpec forPiece(List<Schema.Field> columns) {
    Map<String, ColumnType> s = new LinkedHashMap<>();
    columns.forEach(f -> s.put(f.name(), f.type()));
    return new ReadSpec(delimiter, header, s, sampleRows, batchSize, badRows, maxFieldChars, maxRecordChars, missing);
  }

  public ReadSpec withBatchSize(int rows) {
    return new ReadSpec(delimiter, header, schema, sampleRows, rows, badRows, maxFieldChars, maxRecordChars, missing);
  }

  public ReadSpec withBadRows(BadRowPolicy policy) {
    return new ReadSpec(delimiter, header, schema, sampleRows, batchSize, policy,
        maxFieldChars, maxRecordChars, missing);
  }

  /** The data layer's options for this spec. */
  public ReadOptions toOptions() {
    ReadOptions o = ReadOptions.defaults().withHeader(header).withSampleRows(sampleRows)
        .withBatchSize(batchSize).withBadRows(badRows).withMaxFieldChars(maxFieldChars)
        .withMissing(missing);
    if (maxRecordChars > 0) {
      o = o.withMaxRecordChars(maxRecordChars);
    }
    if (delimiter != null) {
      o = o.withDelimiter(delimiter);
    }
    if (!schema.isEmpty()) {
      List<Schema.Field> fields = new ArrayList<>();
      schema.forEach((name, type) -> fields.add(new Schema.Field(name, type)));
      o = o.withSchema(Schema.of(fields));
    }
    return o;
  }

  /** The JSON form that {@link #read} accepts. */
  public JsonObject toJson() {
    JsonObject s = new JsonObject();
    schema.forEach((name, type) -> s.put(name, type.name().toLowerCase(Locale.ROOT)));
    JsonObject j = new JsonObject().put("header", header).put("schema", s).put("sampleRows", sampleRows)
        .put("batchSize", batchSize).put("badRows", badRows.name().toLowerCase(Locale.ROOT))
        .put("maxFieldChars", maxFieldChars).put("missing", new io.vertx.core.json.JsonArray(missing));
    if (maxRecordChars > 0) {
      j.put("maxRecordChars", maxRecordChars);
    }
    return delimiter == null ? j : j.put("delimiter", String.valueOf(delimiter));
  }
}
