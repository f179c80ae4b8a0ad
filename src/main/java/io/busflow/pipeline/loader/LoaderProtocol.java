package io.busflow.pipeline.loader;

import io.busflow.actor.ActorException;
import io.busflow.actor.Envelope;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.io.BatchReader;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.Rejection;
import io.busflow.data.io.Schema;
import io.busflow.pipeline.internal.Requests;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What the loader at {@link #ADDRESS} understands. Every request is JSON (or a string holding it); sources
 * are paths inside the node's data roots ({@code ..}, absolute paths and links out of them are
 * {@code BAD_REQUEST} naming the roots; an absent file is {@code NOT_FOUND}).
 *
 * <ul>
 *   <li>{@code {"op":"open","source":"churn.csv", …read options}} → {@link Opened}: a cursor, which is a
 *       private address. Send it {@code {"op":"next"}} (or the string {@code "next"}) for the next
 *       {@link io.busflow.data.Batch} — with {@code "as":"json"} a JSON object {@code {"done":false,
 *       "index":…,"firstRow":…,"rows":[…]}} — until it answers a {@link Summary} with {@code "done":true}
 *       and closes; {@code {"op":"close"}} closes it early with its summary. A bad row under the
 *       {@code fail} policy fails {@code next} with {@code BAD_REQUEST} naming file, line, column and
 *       value, and closes the cursor. A cursor left alone for {@code sessionIdleMs} closes itself. With
 *       {@code "range":{"start":…,"end":…,"firstLine":…}} the cursor reads that piece of the file only,
 *       with the file's line numbers.</li>
 *   <li>{@code {"op":"plan","source":"big.csv","partitions":4,"minBytes":8388608, …read options}} →
 *       {@link Planned}: {@code {"source":…,"ranges":[{"start":0,"end":…,"firstLine":1},…]}}, the exact
 *       pieces of the file (boundaries at record ends outside quotes) for up to that many cursors; a file
 *       below {@code minBytes} (default 8 MiB) is one piece.</li>
 *   <li>{@code {"op":"load","source":"small.csv","maxRows":100000, …read options}} → the whole table as
 *       one batch, or with {@code "as":"json"} as {@code {"rows":[…], "summary":{…}}};
 *       {@code TOO_LARGE} beyond {@code maxRows} (default 1,000,000).</li>
 *   <li>a plain string, the tutorial's {@code "data.csv"} → a JSON summary of the whole file:
 *       {@code {"message":"Data loaded from data.csv (20000 rows, 10 columns)","source":…,"columns":[…],
 *       "rowsRead":…,"rowsPassed":…,"rowsRejected":…,"rejections":[…]}}.</li>
 * </ul>
 * Read options are those of {@link ReadSpec}; {@code open} also takes {@code "text":["customer_id"]},
 * columns read as text when the file has them (ids keep leading zeros), and {@code "countRows"} (default
 * true) to estimate the rows of the file for progress reports.
 */
public final class LoaderProtocol {

  /** The loader's public address. */
  public static final String ADDRESS = "busflow.loader";
  /** Cursors live at addresses under this prefix. */
  public static final String CURSOR_PREFIX = "busflow.loader.cursor";
  /** Default of {@code maxRows} for whole-file loads. */
  public static final int DEFAULT_MAX_ROWS = 1_000_000;

  private LoaderProtocol() {}

  /** A request to the loader. */
  public sealed interface Request permits Open, Load, Describe, Plan {}

  /**
   * Opens a cursor on {@code source}, or on the piece {@code range} of it when not null (a range that
   * {@link Plan} answered; a piece after the first is read with a schema declaring every column in file
   * order, those of the first piece; the header line is the first piece's).
   */
  public record Open(String source, ReadSpec read, List<String> text, boolean countRows, ReadOptions.ByteRange range)
      implements Request {
    public Open {
      text = List.copyOf(text);
    }

    public Open(String source, ReadSpec read, List<String> text, boolean countRows) {
      this(source, read, text, countRows, null);
    }

    /** The request that {@link #toJson} gives. */
    public static Open fromJson(JsonObject j) {
      return (Open) decode(j);
    }

    public JsonObject toJson() {
      JsonObject j = read.toJson().put("op", "open").put("source", source)
          .put("text", new JsonArray(List.copyOf(text))).put("countRows", countRows);
      return range == null ? j : j.put("range", rangeJson(range));
    }
  }

  /**
   * Plans the exact pieces of {@code source} for at most {@code partitions} readers ({@link
   * io.busflow.data.io.SplitPlanner}); a file below {@code minBytes} is one piece.
   */
  public record Plan(String source, ReadSpec read, int partitions, long minBytes) implements Request {
    public JsonObject toJson() {
      return read.toJson().put("op", "plan").put("source", source).put("partitions", partitions)
          .put("minBytes", minBytes);
    }
  }

  /** The pieces of a source, in file order, together covering it. */
  public record Planned(String source, List<ReadOptions.ByteRange> ranges) {
    public Planned {
      ranges = List.copyOf(ranges);
    }

    public JsonObject toJson() {
      JsonArray a = new JsonArray();
      ranges.forEach(r -> a.add(rangeJson(r)));
      return new JsonObject().put("source", source).put("ranges", a);
    }

    public static Planned fromJson(JsonObject j) {
      return new Planned(j.getString("source"), j.getJsonArray("ranges").stream()
          .map(o -> (JsonObject) o).map(r -> new ReadOptions.ByteRange(r.getLong("start"), r.getLong("end"),
              r.getLong("firstLine"))).toList());
    }
  }

  static JsonObject rangeJson(ReadOptions.ByteRange r) {
    return new JsonObject().put("start", r.start()).put("end", r.end()).put("firstLine", r.firstLine());
  }

  private static ReadOptions.ByteRange range(ConfigReader r) {
    long start = r.longValue("start", 0, 0, Long.MAX_VALUE);
    long end = r.longValue("end", 0, start, Long.MAX_VALUE);
    ReadOptions.ByteRange range = new ReadOptions.ByteRange(start, end, r.longValue("firstLine", 1, 1, Long.MAX_VALUE));
    r.done();
    return range;
  }

  /** Reads all of {@code source} into one batch, or JSON rows when {@code asJson}. */
  public record Load(String source, ReadSpec read, int maxRows, boolean asJson) implements Request {
    public JsonObject toJson() {
      return read.toJson().put("op", "load").put("source", source).put("maxRows", maxRows)
          .put("as", asJson ? "json" : "batch");
    }
  }

  /** The tutorial's request: a plain source name; the reply summarizes the whole file. */
  public record Describe(String source) implements Request {}

  /**
   * An open cursor.
   *
   * @param cursor       the address to send {@code next} and {@code close} to
   * @param source       the source as asked for, or as the data roots name it when asked for by an absolute path
   * @param path         the file as the loader's data roots name it (the root as configured and the path inside
   *                     it), never the server's absolute path under a relative root
   * @param rowsEstimate about the data rows in the file, from its line breaks (exact for files up to 1 MiB
   *                     without line breaks inside quoted fields or blank lines; larger files are estimated
   *                     from the mean line length of their first MiB), or -1 when not asked for
   */
  public record Opened(String cursor, String source, String path, Schema schema, long rowsEstimate) {

    /** The columns, in file order. */
    public List<Schema.Field> columns() {
      return schema.fields();
    }

    public JsonObject toJson() {
      return new JsonObject().put("cursor", cursor).put("source", source).put("path", path)
          .put("columns", columnsJson(schema)).put("rowsEstimate", rowsEstimate);
    }

    public static Opened fromJson(JsonObject j) {
      List<JsonObject> raw = j.getJsonArray("columns").stream().map(o -> (JsonObject) o).toList();
      java.util.Map<String, String> reasons = new java.util.HashMap<>();
      raw.stream().filter(c -> c.getString("reason") != null).forEach(c -> reasons.put(c.getString("name"),
          c.getString("reason")));
      List<Schema.Field> cols = raw.stream().map(c -> new Schema.Field(c.getString("name"),
          io.busflow.data.ColumnType.valueOf(c.getString("type").toUpperCase(Locale.ROOT)))).toList();
      return new Opened(j.getString("cursor"), j.getString("source"), j.getString("path"),
          Schema.of(cols).withReasons(reasons), j.getLong("rowsEstimate", -1L));
    }

    /** The column names, in file order. */
    public List<String> names() {
      return columns().stream().map(Schema.Field::name).toList();
    }
  }

  /** What a cursor or a whole-file read did: every data row is read = passed + rejected. */
  public record Summary(String source, boolean done, long rowsRead, long rowsPassed, long rowsRejected,
                        List<Rejection> rejections) {
    public Summary {
      rejections = List.copyOf(rejections);
    }

    /**
     * The summary of a source read in pieces, from the pieces' summaries in file order: counts added up,
     * rejections in file order (the first {@value BatchReader#MAX_KEPT_REJECTIONS} kept, as one reader keeps).
     */
    public static Summary merged(String source, List<Summary> pieces) {
      long read = 0;
      long passed = 0;
      long rejected = 0;
      boolean done = true;
      List<Rejection> kept = new java.util.ArrayList<>();
      for (Summary s : pieces) {
        read += s.rowsRead();
        passed += s.rowsPassed();
        rejected += s.rowsRejected();
        done &= s.done();
        s.rejections().stream().limit(Math.max(0, BatchReader.MAX_KEPT_REJECTIONS - kept.size())).forEach(kept::add);
      }
      return new Summary(source, done, read, passed, rejected, kept);
    }

    static Summary of(String source, BatchReader r, boolean done) {
      return new Summary(source, done, r.rowsRead(), r.rowsPassed(), r.rowsRejected(), r.rejections());
    }

    public JsonObject toJson() {
      JsonArray rej = new JsonArray();
      rejections.forEach(x -> rej.add(new JsonObject().put("line", x.line()).put("reason", x.reason())));
      return new JsonObject().put("source", source).put("done", done).put("rowsRead", rowsRead)
          .put("rowsPassed", rowsPassed).put("rowsRejected", rowsRejected).put("rejections", rej);
    }

    public static Summary fromJson(JsonObject j) {
      List<Rejection> rej = j.getJsonArray("rejections", new JsonArray()).stream().map(o -> (JsonObject) o)
          .map(x -> new Rejection(x.getLong("line"), x.getString("reason"))).toList();
      return new Summary(j.getString("source"), j.getBoolean("done", false), j.getLong("rowsRead", 0L),
          j.getLong("rowsPassed", 0L), j.getLong("rowsRejected", 0L), rej);
    }
  }

  /** The columns of {@code schema}: name, type and, when known, the reason for the type. */
  static JsonArray columnsJson(Schema schema) {
    JsonArray a = new JsonArray();
    schema.fields().forEach(f -> {
      JsonObject c = new JsonObject().put("name", f.name()).put("type", f.type().name().toLowerCase(Locale.ROOT));
      a.add(schema.reason(f.name()) == null ? c : c.put("reason", schema.reason(f.name())));
    });
    return a;
  }

  /** Decodes a request at the loader's edge; a bad one is BAD_REQUEST naming the field. */
  static Request decode(Envelope e) {
    if (e.body() instanceof String s && !s.trim().startsWith("{")) {
      if (s.isBlank()) {
        throw ActorException.badRequest("the loader needs a source name, got an empty string");
      }
      return new Describe(s.trim());
    }
    return Requests.fromJson(e, ADDRESS, LoaderProtocol::decode);
  }

  private static Request decode(JsonObject j) {
    ConfigReader r = new ConfigReader(j, "");
    String op = r.requiredString("op");
    Request req = switch (op) {
      case "open" -> new Open(r.requiredString("source"), ReadSpec.read(r), r.strings("text", List.of()),
          r.bool("countRows", true), r.has("range") ? range(r.object("range")) : null);
      case "plan" -> new Plan(r.requiredString("source"), ReadSpec.read(r), r.integer("partitions", 1, 1, 1024),
          r.longValue("minBytes", io.busflow.data.io.SplitPlanner.DEFAULT_MIN_BYTES, 0, Long.MAX_VALUE));
      case "load" -> new Load(r.requiredString("source"), ReadSpec.read(r),
          r.integer("maxRows", DEFAULT_MAX_ROWS, 0, Integer.MAX_VALUE - 8), "json".equals(r.string("as", "batch")));
      default -> throw new ConfigException("op", "is '" + op + "' but must be open, plan or load (cursors take next "
          + "and close at their own address)");
    };
    r.done();
    return req;
  }
}
