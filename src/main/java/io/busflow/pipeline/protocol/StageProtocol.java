package io.busflow.pipeline.protocol;

import io.busflow.actor.Actors;
import io.busflow.actor.BinaryCodec;
import io.busflow.actor.Envelope;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import io.busflow.data.ColumnType;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.Requests;
import io.busflow.pipeline.internal.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What busflow's stages understand: the preprocessor at {@link #PREPROCESS_ADDRESS}, the model at
 * {@link #MODEL_ADDRESS} (both one generic stage actor, {@link io.busflow.pipeline.stage.StageActor}, that
 * differ in their {@link Kind}), and a user's own stage at an address the user owns. A fitted preprocessor or
 * model is known by its id, a content hash of its state ({@code pp-…}, {@code logistic-…}): equal states have
 * equal ids on every node. Every request has a record here, and every reply too; the JSON forms are the
 * records' {@code toJson}/{@code fromJson}, converted once at the edge (README, "The data-science actors").
 *
 * <ul>
 *   <li>Apply a fitted stage to a batch (records with a batch; between busflow actors):
 *       {@link Transform} → {@link Transformed} (the preprocessor: the feature batch, id column first when it
 *       has one, and the values met that were not a fitted one-hot level, per column); {@link Predict} →
 *       {@link Predicted} (the model: the id column when asked for, {@code prediction}, and for classifiers one
 *       probability column per class); {@link TransformPredict} → {@link TransformPredicted} (the preprocessor
 *       hands the features straight to the model; a failure of the model comes back as the model gave it).
 *       JSON clients send {@code {"op":"transform","preprocessor":"pp-…","rows":[{…}]}} or
 *       {@code {"op":"predict","model":"logistic-…","rows":[{…}],"id":"customer_id"}} and get the reply's JSON
 *       rows. An id the node does not know is {@code NOT_FOUND}; the request may carry the state
 *       ({@code state}) to be learnt on the spot, or name the node that has it ({@code from}).</li>
 *   <li>{@link PreprocessorFit} / {@link ModelFit} ({@code {"op":"fit",…}}) → {@link FitStarted}: a fit
 *       session; send it the training batches, one {@link Batch} per message (reply {@code {"rows":n}}, the rows
 *       received so far), then {@code "finish"} → {@link Fitted}, or {@code "abort"}. With
 *       {@link FitStarted#pieces()} the batches of the pieces of a partitioned read may come at once, each numbered
 *       by {@link io.busflow.pipeline.internal.Batches#inPiece}: the session fits the pieces at once, each apart,
 *       and merges them in file order.</li>
 *   <li>{@link Load} ({@code state} or {@code path}: output roots, then data roots) → {@link Loaded};
 *       {@link Save} (output roots) → {@link Saved}; {@link Describe} → {@link Described}.</li>
 *   <li>{@link Apply} (a record with a batch) → a {@link Batch}: what busflow sends a user's own stage, named in a
 *       pipeline as a preprocessing step {@code {"actor": {"address": "acme.enrich"}}} (README, "Writing a stage
 *       actor"): the same rows in the same order; the stage may add columns or replace them
 *       ({@link Batch#withColumns}). Any other reply, or another number of rows, fails the job with
 *       {@code BAD_REQUEST} naming the address; a failure reply ({@code message.fail(code, text)}) fails it with
 *       that code and text.</li>
 * </ul>
 * Inside one JVM the records with a batch are handed over as they are; across the cluster they travel as a JSON
 * head and the batch in {@link BatchSerde}'s compact form. A user's stage node registers busflow's codecs with
 * {@link #registerCodecs(Vertx)} before it registers its consumer. Fit, load, save and describe travel as JSON.
 */
public final class StageProtocol {

  /** The preprocessor's public address. */
  public static final String PREPROCESS_ADDRESS = "busflow.preprocess";
  /** The model's public address. */
  public static final String MODEL_ADDRESS = "busflow.model";
  /** The most row blocks a model fit may ask for ({@code rowBlocks}). */
  public static final int MAX_ROW_BLOCKS = 1024;

  private StageProtocol() {}

  /** Which built-in stage: its address, where its fit sessions live, and how its requests name an id. */
  public enum Kind {
    PREPROCESSOR(PREPROCESS_ADDRESS, "preprocessor", "transform", "the fitted state", "preprocessor state"),
    MODEL(MODEL_ADDRESS, "model", "predict", "the model", "model");

    private final String address;
    private final String idKey;
    private final String applyOp;
    private final String stateWhat;
    private final String fileWhat;

    Kind(String address, String idKey, String applyOp, String stateWhat, String fileWhat) {
      this.address = address;
      this.idKey = idKey;
      this.applyOp = applyOp;
      this.stateWhat = stateWhat;
      this.fileWhat = fileWhat;
    }

    /** The stage's public address. */
    public String address() {
      return address;
    }

    /** Fit sessions live at addresses under this prefix. */
    public String fitPrefix() {
      return address + ".fit";
    }

    /** The JSON key that names a fitted artifact of this kind ({@code "preprocessor"}, {@code "model"}); also its name. */
    public String idKey() {
      return idKey;
    }

    /** What a saved file of this kind is called in errors ({@code "preprocessor state"}, {@code "model"}). */
    public String fileWhat() {
      return fileWhat;
    }

    /** Whether {@code r} is a record this stage takes as it is (the ones with a batch). */
    boolean takes(Object r) {
      return this == PREPROCESSOR ? r instanceof Transform || r instanceof TransformPredict : r instanceof Predict;
    }
  }

  /** A request to the preprocessor or the model. */
  public sealed interface Request permits Applying, TransformPredict, Fit, Load, Save, Describe {}

  /** A request that applies one fitted artifact to a batch. */
  public sealed interface Applying extends Request permits Transform, Predict {
    /** The fitted artifact's id. */
    String id();

    /** Its state as JSON text, for a node that does not know the id yet; may be null. */
    String state();

    /** The cluster node whose store has the state; may be null. */
    String from();

    /** Whether the reply should be JSON rows (set for JSON requests). */
    boolean asJson();

    /** The rows to apply it to. */
    Batch rows();
  }

  /** What applying a fitted artifact to a batch gives. */
  public interface Applied {
    /** The node that applied it. */
    String node();

    /** The JSON reply to a JSON request. */
    JsonObject toJson();
  }

  /**
   * Transform {@code batch} with preprocessor {@code preprocessor}.
   *
   * @param state  the preprocessor's state as JSON text, for a node that does not know the id yet; may be null
   * @param asJson whether the reply should be JSON rows (set for JSON requests)
   * @param from   the cluster node whose store has the state, fetched from there once per node by a node that
   *               lacks it ({@link io.busflow.pipeline.internal.StateStore#fetch}); may be null
   */
  public record Transform(String preprocessor, String state, Batch batch, boolean asJson, String from)
      implements Applying {
    public Transform(String preprocessor, String state, Batch batch, boolean asJson) {
      this(preprocessor, state, batch, asJson, null);
    }

    public Transform(String preprocessor, Batch batch) {
      this(preprocessor, null, batch, false, null);
    }

    @Override
    public String id() {
      return preprocessor;
    }

    @Override
    public Batch rows() {
      return batch;
    }

    public Transform withState(String stateJson) {
      return new Transform(preprocessor, stateJson, batch, asJson, from);
    }

    /** The same request for {@code rows} (a slice of its batch). */
    public Transform withBatch(Batch rows) {
      return new Transform(preprocessor, state, rows, asJson, from);
    }

    /** The same request naming the node that has the state. */
    public Transform from(String node) {
      return new Transform(preprocessor, state, batch, asJson, node);
    }
  }

  /** The features of one batch and the unknown one-hot levels met in it, per column. */
  public record Transformed(String preprocessor, Batch features, Map<String, Long> unknownLevels, String node)
      implements Applied {
    public Transformed {
      unknownLevels = Map.copyOf(unknownLevels);
    }

    /** Unknown levels over all columns. */
    public long unknownTotal() {
      return unknownLevels.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("preprocessor", preprocessor)
          .put("features", new JsonArray(features.columnNames()))
          .put("rows", BatchJson.toRows(features)).put("unknownLevels", new JsonObject(new LinkedHashMap<>(unknownLevels)));
    }
  }

  /**
   * Predict {@code features} with model {@code model}.
   *
   * @param state    the model's state as JSON text, for a node that does not know it yet; may be null
   * @param idColumn a column of {@code features} to copy first into the predictions; may be null
   * @param asJson   whether the reply should be JSON rows (set for JSON requests)
   * @param from     the cluster node whose store has the state; may be null
   */
  public record Predict(String model, String state, Batch features, String idColumn, boolean asJson, String from)
      implements Applying {
    public Predict(String model, String state, Batch features, String idColumn, boolean asJson) {
      this(model, state, features, idColumn, asJson, null);
    }

    public Predict(String model, Batch features, String idColumn) {
      this(model, null, features, idColumn, false, null);
    }

    @Override
    public String id() {
      return model;
    }

    @Override
    public Batch rows() {
      return features;
    }

    public Predict withState(String stateJson) {
      return new Predict(model, stateJson, features, idColumn, asJson, from);
    }
  }

  /** Predictions of {@code model}, made on the node named {@code node}. */
  public record Predicted(String model, Batch predictions, String node) implements Applied {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("model", model).put("rows", BatchJson.toRows(predictions));
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

    /** The request to the model for the transformed {@code features}. */
    public Predict predict(Batch features) {
      return new Predict(model, modelState, features, null, false, modelFrom);
    }
  }

  /**
   * The predictions of one batch and what its transform met.
   *
   * @param node the node whose preprocessor transformed the batch ({@code predicted} names the model's)
   */
  public record TransformPredicted(String preprocessor, Map<String, Long> unknownLevels, String node,
      Predicted predicted) {
    public TransformPredicted {
      unknownLevels = Map.copyOf(unknownLevels);
    }
  }

  /** Start a fit session. */
  public sealed interface Fit extends Request permits PreprocessorFit, ModelFit {
    /** The JSON request. */
    JsonObject toJson();
  }

  /**
   * Fit a preprocessor: {@code {"op":"fit","spec":{…}}}, the spec {@link Preprocessor}'s. A spec that needs
   * more than one pass holds the training rows in memory while fitting.
   */
  public record PreprocessorFit(Map<String, Object> spec) implements Fit {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("op", "fit").put("spec", JsonShapes.toJson(spec));
    }
  }

  /**
   * Fit a model: {@code {"op":"fit","spec":{"type":"logistic","params":{…}},"label":"churned","exclude":["id"]}}.
   * The session takes feature batches that include the label column; rows whose label is missing are left out and
   * counted. Training holds the feature matrix in memory (8 bytes per row and feature, twice). {@code rowBlocks}: the
   * pieces whose batches may come at once; the fit's sums run on that many threads, and on at least as many as the
   * model node has cores ({@link io.busflow.data.RowBlocks}: the same bits on any number).
   */
  public record ModelFit(ModelSpec spec, String label, List<String> exclude, int rowBlocks) implements Fit {
    public ModelFit {
      exclude = List.copyOf(exclude);
      if (rowBlocks < 1) {
        throw new IllegalArgumentException("rowBlocks must be at least 1, got " + rowBlocks);
      }
    }

    /** A fit over one row block. */
    public ModelFit(ModelSpec spec, String label, List<String> exclude) {
      this(spec, label, exclude, 1);
    }

    @Override
    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("op", "fit").put("spec", spec.toJson()).put("label", label)
          .put("exclude", new JsonArray(List.copyOf(exclude)));
      return rowBlocks == 1 ? j : j.put("rowBlocks", rowBlocks);
    }
  }

  /** Learn a fitted state, given ({@code state}) or from a file ({@code path}); exactly one is set. */
  public record Load(Map<String, Object> state, String path) implements Request {
    /** A load of a given state. */
    public static Load of(Map<String, Object> state) {
      return new Load(state, null);
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("op", "load");
      return state != null ? j.put("state", JsonShapes.toJson(state)) : j.put("path", path);
    }
  }

  /** Save a known artifact's state to {@code path} (output roots). */
  public record Save(String id, String path) implements Request {}

  /** Return a known artifact's state. */
  public record Describe(String id) implements Request {}

  /**
   * A fit session opened: its address; how many passes over the training rows it needs; whether the batches of
   * the pieces of a partitioned read may come at once ({@code false}: a plugin step that cannot merge; send every
   * batch in file order).
   */
  public record FitStarted(String session, int passes, boolean pieces) {
    public JsonObject toJson() {
      return new JsonObject().put("session", session).put("passes", passes).put("pieces", pieces);
    }

    public static FitStarted fromJson(JsonObject j) {
      return new FitStarted(j.getString("session"), j.getInteger("passes", 1), j.getBoolean("pieces", false));
    }
  }

  /** What a stage says of a fitted artifact it holds: the reply to a load, the head of a fit's. */
  public sealed interface Loaded permits PreprocessorLoaded, ModelLoaded {
    Kind kind();

    /** The artifact's id. */
    String id();

    /** The cluster node whose store has it; null on one node. */
    String from();

    /** The features it makes (a preprocessor) or expects (a model), in order. */
    List<String> features();

    JsonObject toJson();

    /** The reply {@code j} of a {@code kind} stage. */
    static Loaded fromJson(Kind kind, JsonObject j) {
      List<String> features = strings(j.getJsonArray("features"));
      return kind == Kind.PREPROCESSOR
          ? new PreprocessorLoaded(j.getString("preprocessor"), j.getString("from"), features, j.getString("idColumn"),
              j.getString("labelColumn"), inputs(j.getJsonObject("inputs")))
          : new ModelLoaded(j.getString("model"), j.getString("from"), features, output(j.getJsonObject("output")));
    }
  }

  /**
   * A fitted preprocessor: {@code {"preprocessor":…,"from":…,"features":[…],"idColumn":…,"labelColumn":…,
   * "inputs":{"age":{"type":"numeric","missingAllowed":true},…}}}, {@code inputs} the columns a transform reads.
   */
  public record PreprocessorLoaded(String id, String from, List<String> features, String idColumn,
      String labelColumn, Map<String, Preprocessor.Input> inputs) implements Loaded {
    public PreprocessorLoaded {
      features = List.copyOf(features);
      inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    @Override
    public Kind kind() {
      return Kind.PREPROCESSOR;
    }

    @Override
    public JsonObject toJson() {
      JsonObject in = new JsonObject(new LinkedHashMap<>());
      inputs.forEach((c, i) -> in.put(c, new JsonObject().put("type", i.type().name().toLowerCase(Locale.ROOT))
          .put("missingAllowed", i.missingAllowed())));
      return new JsonObject().put("preprocessor", id).put("from", from).put("features", new JsonArray(features))
          .put("idColumn", idColumn).put("labelColumn", labelColumn).put("inputs", in);
    }
  }

  /**
   * A fitted model: {@code {"model":…,"features":[…],"output":{"prediction":…,"classes":[…],"probabilities":[…],
   * "positive":…},"from":…}}, and for classifiers {@code "classes"} as before.
   */
  public record ModelLoaded(String id, String from, List<String> features, OutputSchema output) implements Loaded {
    public ModelLoaded {
      features = List.copyOf(features);
    }

    @Override
    public Kind kind() {
      return Kind.MODEL;
    }

    @Override
    public JsonObject toJson() {
      JsonObject out = new JsonObject().put("model", id).put("features", new JsonArray(features))
          .put("output", JsonShapes.toJson(output.toMap()));
      if (output.classifier()) {
        out.put("classes", new JsonArray(new ArrayList<>(output.classes())));
      }
      return out.put("from", from);
    }
  }

  /**
   * A fit session's {@code finish} reply: the fitted artifact, the rows it was fitted on, and its state; for a
   * model the rows left out for want of a label, its named coefficients when it has them
   * ({@code [{"class":…,"intercept":…,"coefficients":[{"feature":…,"coef":…},…]},…]}, largest |coef| first) and
   * what its solver said ({@code {"n_iter":…,"converged":…}}) when it says something.
   */
  public record Fitted(Loaded loaded, long rows, long rowsWithoutLabel, Map<String, Object> state,
      List<Object> coefficients, Map<String, Object> fit) {

    /** The state as JSON text. */
    public String stateJson() {
      return JsonShapes.toJson(state).encode();
    }

    public JsonObject toJson() {
      JsonObject out = loaded.toJson().put("rows", rows);
      if (loaded.kind() == Kind.MODEL) {
        out.put("rowsWithoutLabel", rowsWithoutLabel);
      }
      out.put("state", JsonShapes.toJson(state));
      if (coefficients != null) {
        out.put("coefficients", new JsonArray(JsonShapes.toList(coefficients)));
      }
      return fit == null ? out : out.put("fit", JsonShapes.toJson(fit));
    }

    public static Fitted fromJson(Kind kind, JsonObject j) {
      JsonArray coefficients = j.getJsonArray("coefficients");
      JsonObject fit = j.getJsonObject("fit");
      return new Fitted(Loaded.fromJson(kind, j), j.getLong("rows", 0L), j.getLong("rowsWithoutLabel", 0L),
          JsonShapes.toMap(j.getJsonObject("state")), coefficients == null ? null : JsonShapes.toList(coefficients.getList()),
          fit == null ? null : JsonShapes.toMap(fit));
    }
  }

  /** A saved artifact: {@code {"<kind>":id,"path":…}}. */
  public record Saved(Kind kind, String id, String path) {
    public JsonObject toJson() {
      return new JsonObject().put(kind.idKey(), id).put("path", path);
    }
  }

  /** A known artifact's state: {@code {"<kind>":id,"state":{…}}}, and a model's {@code coefficients} as in {@link Fitted}. */
  public record Described(Kind kind, String id, Map<String, Object> state, List<Object> coefficients) {
    public JsonObject toJson() {
      JsonObject out = new JsonObject().put(kind.idKey(), id).put("state", JsonShapes.toJson(state));
      return coefficients == null ? out : out.put("coefficients", new JsonArray(JsonShapes.toList(coefficients)));
    }
  }

  /** Apply a user's stage to {@code batch}; answer with a batch of as many rows, in the same order. */
  public record Apply(Batch batch) {}

  /** Registers the codecs of {@link Apply}, {@link Batch} and busflow's other messages on {@code vertx}, once. */
  public static void registerCodecs(Vertx vertx) {
    Actors.registerCodecs(vertx);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    a.forEach(v -> out.add((String) v));
    return out;
  }

  private static Map<String, Preprocessor.Input> inputs(JsonObject j) {
    Map<String, Preprocessor.Input> out = new LinkedHashMap<>();
    j.forEach(e -> {
      JsonObject in = (JsonObject) e.getValue();
      out.put(e.getKey(), new Preprocessor.Input(ColumnType.valueOf(in.getString("type").toUpperCase(Locale.ROOT)),
          in.getBoolean("missingAllowed")));
    });
    return out;
  }

  static OutputSchema output(JsonObject o) {
    List<Object> classes = new ArrayList<>();
    o.getJsonArray("classes").forEach(c -> classes.add(c instanceof Number n ? (Object) n.doubleValue() : c));
    return new OutputSchema(o.getString("prediction"), classes, strings(o.getJsonArray("probabilities")),
        o.getString("positive"));
  }

  /** The request in {@code e} to the stage of {@code kind}: one of its records as it is, else its JSON form. */
  public static Request decode(Kind kind, Envelope e) {
    if (kind.takes(e.body())) {
      return (Request) e.body();
    }
    return Requests.fromJson(e, kind.address(), j -> decode(kind, j));
  }

  private static Request decode(Kind kind, JsonObject j) {
    ConfigReader r = new ConfigReader(j, "");
    String op = r.requiredString("op");
    Request req;
    if (op.equals(kind.applyOp)) {
      req = applying(kind, r, j);
    } else {
      req = switch (op) {
        case "fit" -> kind == Kind.PREPROCESSOR ? new PreprocessorFit(JsonShapes.toMap(requiredObject(r, "spec")))
            : new ModelFit(ModelSpec.readFittable(r.object("spec")), r.requiredString("label"),
                r.strings("exclude", List.of()), r.integer("rowBlocks", 1, 1, MAX_ROW_BLOCKS));
        case "load" -> load(kind, r);
        case "save" -> new Save(r.requiredString(kind.idKey), r.requiredString("path"));
        case "describe" -> new Describe(r.requiredString(kind.idKey));
        default -> throw new ConfigException("op", "is '" + op + "' but must be " + kind.applyOp
            + ", fit, load, save or describe");
      };
    }
    r.allow("rows");
    r.done();
    return req;
  }

  private static Applying applying(Kind kind, ConfigReader r, JsonObject j) {
    String id = r.requiredString(kind.idKey);
    String state = r.has("state") ? r.rawObject("state").encode() : null;
    Batch rows = BatchJson.fromRows(Requests.rows(j), "rows");
    return kind == Kind.PREPROCESSOR ? new Transform(id, state, rows, true)
        : new Predict(id, state, rows, r.string("id", null), true);
  }

  private static Load load(Kind kind, ConfigReader r) {
    Requests.Source source = Requests.loadSource(r, kind.stateWhat);
    return new Load(source.state(), source.path());
  }

  private static JsonObject requiredObject(ConfigReader r, String key) {
    if (!r.has(key)) {
      throw new ConfigException(key, "is required and must be an object");
    }
    return r.rawObject(key);
  }

  /** The codecs of this protocol's records that carry a batch. */
  static List<BinaryCodec<?>> codecs() {
    return List.of(
        BinaryCodec.of(Apply.class, a -> BatchSerde.encode(a.batch()), b -> new Apply(BatchSerde.decode(b))),
        BinaryCodec.of(Transform.class, StageProtocol::encode, StageProtocol::decodeTransform),
        BinaryCodec.of(Transformed.class, StageProtocol::encode, StageProtocol::decodeTransformed),
        BinaryCodec.of(TransformPredict.class, StageProtocol::encode, StageProtocol::decodeTransformPredict),
        BinaryCodec.of(TransformPredicted.class, StageProtocol::encode, StageProtocol::decodeTransformPredicted),
        BinaryCodec.of(Predict.class, StageProtocol::encode, StageProtocol::decodePredict),
        BinaryCodec.of(Predicted.class, StageProtocol::encode, StageProtocol::decodePredicted));
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
        new Predicted(h.getString("model"), p.batch(), h.getString("modelNode")));
  }

  private static Map<String, Long> unknownLevels(JsonObject head) {
    Map<String, Long> unknown = new LinkedHashMap<>();
    head.getJsonObject("unknownLevels").forEach(e -> unknown.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return unknown;
  }

  private static byte[] encode(Predict p) {
    return Wire.encode(new JsonObject().put("model", p.model()).put("state", p.state())
        .put("id", p.idColumn()).put("asJson", p.asJson()).put("from", p.from()), p.features());
  }

  private static Predict decodePredict(byte[] bytes) {
    Wire.Parts w = Wire.decode(bytes);
    return new Predict(w.head().getString("model"), w.head().getString("state"), w.batch(),
        w.head().getString("id"), w.head().getBoolean("asJson", false), w.head().getString("from"));
  }

  private static byte[] encode(Predicted p) {
    return Wire.encode(new JsonObject().put("model", p.model()).put("node", p.node()), p.predictions());
  }

  private static Predicted decodePredicted(byte[] bytes) {
    Wire.Parts w = Wire.decode(bytes);
    return new Predicted(w.head().getString("model"), w.batch(), w.head().getString("node"));
  }
}
