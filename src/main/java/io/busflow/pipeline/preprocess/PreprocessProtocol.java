package io.busflow.pipeline.preprocess;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.Envelope;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.Batch;
import io.busflow.data.ColumnType;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.BatchJson;
import io.busflow.pipeline.model.ModelProtocol;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.Requests;
import io.busflow.pipeline.internal.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the preprocessor at {@link #ADDRESS} understands. A fitted preprocessor is known by its id, a
 * content hash of its state ({@code pp-…}): equal states have equal ids on every node.
 *
 * <ul>
 *   <li>{@link Transform} (a record with a batch; between busflow actors) → {@link Transformed}: the
 *       feature batch (id column first when the preprocessor has one, then the features in order) and the
 *       values met that were not a fitted one-hot level, per column. JSON clients send
 *       {@code {"op":"transform","preprocessor":"pp-…","rows":[{…}]}} and get
 *       {@code {"preprocessor":…,"features":[…],"rows":[{…}],"unknownLevels":{…}}}. An id this node does
 *       not know is {@code NOT_FOUND}; the request may carry the state (field {@code state}) to be
 *       learnt on the spot.</li>
 *   <li>{@link TransformPredict} (between busflow actors) → {@link TransformPredicted}: a transform whose
 *       features the preprocessor hands straight to the model at {@link ModelProtocol#ADDRESS}; only the
 *       predictions come back. A failure of the model comes back as the model gave it.</li>
 *   <li>{@code {"op":"fit","spec":{…}}} → {@code {"session":"busflow.preprocess.fit.…","passes":1,
 *       "pieces":true}}: send the session the training batches, one {@link Batch} per message (reply
 *       {@code {"rows":n}}), then
 *       {@code {"op":"finish"}} → {@code {"preprocessor":"pp-…","features":[…],"rows":n,"state":{…}}}, or
 *       {@code {"op":"abort"}}. The spec is {@link io.busflow.data.transform.Preprocessor}'s. A spec that
 *       needs more than one pass holds the training rows in memory while fitting. With {@code "pieces":true}
 *       the batches of the pieces of a partitioned read may be sent at once, each piece's in order, each
 *       numbered by {@link io.busflow.pipeline.internal.Batches#inPiece}: the session fits each piece apart
 *       and merges them in piece order ({@link io.busflow.data.transform.Fitter#merge}); with {@code false}
 *       (a plugin step that cannot merge) send every batch in file order.</li>
 *   <li>{@code {"op":"load","state":{…}}} or {@code {"op":"load","path":"models/pp.json"}} (output roots,
 *       then data roots) → {@code {"preprocessor":…,"features":[…],"idColumn":…,"labelColumn":…,
 *       "inputs":{"age":{"type":"numeric","missingAllowed":true},…}}}: the input columns a transform reads
 *       ({@link #inputs(JsonObject)}).</li>
 *   <li>{@code {"op":"save","preprocessor":"pp-…","path":"data/out/pp.json"}} (output roots) →
 *       {@code {"preprocessor":…,"path":…}}; {@code {"op":"describe","preprocessor":"pp-…"}} → its state.</li>
 * </ul>
 */
public final class PreprocessProtocol {

  /** The preprocessor's public address. */
  public static final String ADDRESS = "busflow.preprocess";
  /** Fit sessions live at addresses under this prefix. */
  public static final String FIT_PREFIX = "busflow.preprocess.fit";

  private PreprocessProtocol() {}

  /** A request to the preprocessor. */
  public sealed interface Request permits Transform, TransformPredict, Fit, Load, Save, Describe {}

  /**
   * Transform {@code batch} with preprocessor {@code preprocessor}.
   *
   * @param state  the preprocessor's state as JSON text, for a node that does not know the id yet; may be null
   * @param asJson whether the reply should be JSON rows (set for JSON requests)
   * @param from   the cluster node whose store has the state, fetched from there once per node by a node that
   *               lacks it ({@link io.busflow.pipeline.internal.StateStore#fetch}); may be null
   */
  public record Transform(String preprocessor, String state, Batch batch, boolean asJson, String from)
      implements Request {
    public Transform(String preprocessor, String state, Batch batch, boolean asJson) {
      this(preprocessor, state, batch, asJson, null);
    }

    public Transform(String preprocessor, Batch batch) {
      this(preprocessor, null, batch, false, null);
    }

    public Transform withState(String stateJson) {
      return new Transform(preprocessor, stateJson, batch, asJson, from);
    }

    /** The same request naming the node that has the state. */
    public Transform from(String node) {
      return new Transform(preprocessor, state, batch, asJson, node);
    }
  }

  /** The features of one batch and the unknown one-hot levels met in it, per column. */
  public record Transformed(String preprocessor, Batch features, Map<String, Long> unknownLevels, String node) {
    public Transformed {
      unknownLevels = Map.copyOf(unknownLevels);
    }

    /** Unknown levels over all columns. */
    public long unknownTotal() {
      return unknownLevels.values().stream().mapToLong(Long::longValue).sum();
    }

    JsonObject toJson() {
      return new JsonObject().put("preprocessor", preprocessor)
          .put("features", new JsonArray(features.columnNames()))
          .put("rows", BatchJson.toRows(features)).put("unknownLevels", new JsonObject(new LinkedHashMap<>(unknownLevels)));
    }
  }

  /**
   * Transform {@code transform}'s batch, then predict with model {@code model} on the features. Across a
   * cluster the batch crosses the wire to the preprocessor and the predictions back — the features travel
   * only from the preprocessor to the model, and not at all when Vert.x picks a model on the same node.
   *
   * @param modelState the model's state as JSON text, for a node that does not know it yet; may be null
   * @param modelFrom  the cluster node whose store has the model's state; may be null
   */
  public record TransformPredict(Transform transform, String model, String modelState, String modelFrom)
      implements Request {
    public TransformPredict(Transform transform, String model, String modelState) {
      this(transform, model, modelState, null);
    }

    /** The same request carrying both states, for nodes that know neither. */
    public TransformPredict withStates(String preprocessorState, String modelStateJson) {
      return new TransformPredict(transform.withState(preprocessorState), model, modelStateJson, modelFrom);
    }

    ModelProtocol.Predict predict(Batch features) {
      return new ModelProtocol.Predict(model, modelState, features, null, false, modelFrom);
    }
  }

  /**
   * The predictions of one batch and what its transform met.
   *
   * @param node the node whose preprocessor transformed the batch ({@code predicted} names the model's)
   */
  public record TransformPredicted(String preprocessor, Map<String, Long> unknownLevels, String node,
      ModelProtocol.Predicted predicted) {
    public TransformPredicted {
      unknownLevels = Map.copyOf(unknownLevels);
    }
  }

  /** Start a fit session for {@code spec}. */
  public record Fit(Map<String, Object> spec) implements Request {}

  /** Learn a fitted state, given or from a file. */
  public record Load(Map<String, Object> state, String path) implements Request {}

  /** Save a known preprocessor's state to {@code path}. */
  public record Save(String preprocessor, String path) implements Request {}

  /** Return a known preprocessor's state. */
  public record Describe(String preprocessor) implements Request {}

  /** JSON for a fit request. */
  public static JsonObject fit(Map<String, Object> spec) {
    return new JsonObject().put("op", "fit").put("spec", JsonShapes.toJson(spec));
  }

  /** JSON for a load request with a given state. */
  public static JsonObject load(Map<String, Object> state) {
    return new JsonObject().put("op", "load").put("state", JsonShapes.toJson(state));
  }

  /** The {@code inputs} of a load reply: per input column, {@code {"type":"numeric"|"string","missingAllowed":…}}. */
  static JsonObject inputsJson(Map<String, Preprocessor.Input> inputs) {
    JsonObject out = new JsonObject(new LinkedHashMap<>());
    inputs.forEach((c, in) -> out.put(c, new JsonObject().put("type", in.type().name().toLowerCase(Locale.ROOT))
        .put("missingAllowed", in.missingAllowed())));
    return out;
  }

  /** The input columns a load reply lists, as {@link Preprocessor#inputs()} gives them. */
  public static Map<String, Preprocessor.Input> inputs(JsonObject loadReply) {
    Map<String, Preprocessor.Input> out = new LinkedHashMap<>();
    loadReply.getJsonObject("inputs").forEach(e -> out.put(e.getKey(), input((JsonObject) e.getValue())));
    return out;
  }

  private static Preprocessor.Input input(JsonObject j) {
    return new Preprocessor.Input(ColumnType.valueOf(j.getString("type").toUpperCase(Locale.ROOT)),
        j.getBoolean("missingAllowed"));
  }

  static Request decode(Envelope e) {
    if (e.body() instanceof Transform t) {
      return t;
    }
    if (e.body() instanceof TransformPredict t) {
      return t;
    }
    return Requests.fromJson(e, ADDRESS, PreprocessProtocol::decode);
  }

  private static Request decode(JsonObject j) {
    ConfigReader r = new ConfigReader(j, "");
    String op = r.requiredString("op");
    Request req = switch (op) {
      case "transform" -> new Transform(r.requiredString("preprocessor"), stateText(r),
          BatchJson.fromRows(Requests.rows(j), "rows"), true);
      case "fit" -> new Fit(JsonShapes.toMap(requiredObject(r, "spec")));
      case "load" -> load(r);
      case "save" -> new Save(r.requiredString("preprocessor"), r.requiredString("path"));
      case "describe" -> new Describe(r.requiredString("preprocessor"));
      default -> throw new ConfigException("op", "is '" + op + "' but must be transform, fit, load, save or describe");
    };
    r.allow("rows");
    r.done();
    return req;
  }

  private static Load load(ConfigReader r) {
    Requests.Source source = Requests.loadSource(r, "the fitted state");
    return new Load(source.state(), source.path());
  }

  private static String stateText(ConfigReader r) {
    return r.has("state") ? r.rawObject("state").encode() : null;
  }

  private static JsonObject requiredObject(ConfigReader r, String key) {
    if (!r.has(key)) {
      throw new ConfigException(key, "is required and must be an object");
    }
    return r.rawObject(key);
  }

  /** The codecs of this protocol's records. */
  public static List<BinaryCodec<?>> codecs() {
    return List.of(
        BinaryCodec.of(Transform.class, PreprocessProtocol::encode, PreprocessProtocol::decodeTransform),
        BinaryCodec.of(Transformed.class, PreprocessProtocol::encode, PreprocessProtocol::decodeTransformed),
        BinaryCodec.of(TransformPredict.class, PreprocessProtocol::encode, PreprocessProtocol::decodeTransformPredict),
        BinaryCodec.of(TransformPredicted.class, PreprocessProtocol::encode, PreprocessProtocol::decodeTransformPredicted));
  }

  private static byte[] encode(TransformPredict t) {
    JsonObject head = new JsonObject().put("preprocessor", t.transform().preprocessor())
        .put("state", t.transform().state()).put("from", t.transform().from()).put("model", t.model())
        .put("modelState", t.modelState()).put("modelFrom", t.modelFrom());
    return Wire.encode(head, t.transform().batch());
  }

  private static TransformPredict decodeTransformPredict(byte[] bytes) {
    Wire.Parts p = Wire.decode(bytes);
    JsonObject h = p.head();
    return new TransformPredict(new Transform(h.getString("preprocessor"), h.getString("state"), p.batch(), false,
        h.getString("from")), h.getString("model"), h.getString("modelState"), h.getString("modelFrom"));
  }

  private static byte[] encode(TransformPredicted t) {
    JsonObject head = new JsonObject().put("preprocessor", t.preprocessor())
        .put("unknownLevels", new JsonObject(new LinkedHashMap<>(t.unknownLevels()))).put("node", t.node())
        .put("model", t.predicted().model()).put("modelNode", t.predicted().node());
    return Wire.encode(head, t.predicted().predictions());
  }

  private static TransformPredicted decodeTransformPredicted(byte[] bytes) {
    Wire.Parts p = Wire.decode(bytes);
    JsonObject h = p.head();
    return new TransformPredicted(h.getString("preprocessor"), unknownLevels(h), h.getString("node"),
        new ModelProtocol.Predicted(h.getString("model"), p.batch(), h.getString("modelNode")));
  }

  private static Map<String, Long> unknownLevels(JsonObject head) {
    Map<String, Long> unknown = new LinkedHashMap<>();
    head.getJsonObject("unknownLevels").forEach(e -> unknown.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return unknown;
  }

  private static byte[] encode(Transform t) {
    JsonObject head = new JsonObject().put("preprocessor", t.preprocessor()).put("state", t.state())
        .put("asJson", t.asJson()).put("from", t.from());
    return Wire.encode(head, t.batch());
  }

  private static Transform decodeTransform(byte[] bytes) {
    Wire.Parts p = Wire.decode(bytes);
    return new Transform(p.head().getString("preprocessor"), p.head().getString("state"), p.batch(),
        p.head().getBoolean("asJson", false), p.head().getString("from"));
  }

  private static byte[] encode(Transformed t) {
    JsonObject head = new JsonObject().put("preprocessor", t.preprocessor())
        .put("unknownLevels", new JsonObject(new LinkedHashMap<>(t.unknownLevels()))).put("node", t.node());
    return Wire.encode(head, t.features());
  }

  private static Transformed decodeTransformed(byte[] bytes) {
    Wire.Parts p = Wire.decode(bytes);
    return new Transformed(p.head().getString("preprocessor"), p.batch(), unknownLevels(p.head()),
        p.head().getString("node"));
  }
}
