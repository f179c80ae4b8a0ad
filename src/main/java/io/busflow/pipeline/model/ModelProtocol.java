package io.busflow.pipeline.model;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.Envelope;
import io.busflow.config.ConfigException;
import io.busflow.config.ConfigReader;
import io.busflow.data.Batch;
import io.busflow.data.model.Coefficients;
import io.busflow.data.model.Model;
import io.busflow.pipeline.BatchJson;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.Requests;
import io.busflow.pipeline.internal.Wire;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What the model at {@link #ADDRESS} understands. A model is known by its version, a content hash of its
 * state ({@code logistic-…}, {@code linear-…}), which every prediction carries.
 *
 * <ul>
 *   <li>{@link Predict} (a record with a feature batch; between busflow actors) → {@link Predicted}: the id
 *       column first when asked for, {@code prediction}, and for classifiers one {@code p_<class>} column
 *       per class. Features that do not match the model's are {@code BAD_REQUEST} listing the missing and
 *       unexpected names. JSON clients send {@code {"op":"predict","model":"logistic-…","rows":[{…}],
 *       "id":"customer_id"}} and get {@code {"model":…,"rows":[{…}]}}. A version this node does not know is
 *       {@code NOT_FOUND}; the request may carry the state (field {@code state}).</li>
 *   <li>{@code {"op":"fit","spec":{"type":"logistic","params":{…}},"label":"churned","exclude":["id"]}} →
 *       {@code {"session":"busflow.model.fit.…"}}: send the session feature batches that include the label
 *       column, then {@code {"op":"finish"}} → {@code {"model":…,"features":[…],"classes":[…],"rows":n,
 *       "rowsWithoutLabel":k,"state":{…}}}. Rows whose label is missing are left out and counted. Training
 *       holds the feature matrix in memory (8 bytes per row and feature, twice). With {@code "rowBlocks":b}
 *       (default 1; a partitioned training job sends its partitions) the batches may come from the pieces of a
 *       partitioned read at once, numbered by {@link io.busflow.pipeline.internal.Batches#inPiece} (the rows
 *       are put in file order), and the fit's sums run over {@code b} row blocks on as many threads
 *       ({@link io.busflow.data.RowBlocks}).</li>
 *   <li>{@code load} ({@code state} or {@code path}), {@code save} ({@code model}, {@code path}) and
 *       {@code describe} ({@code model}) as for the preprocessor; {@code describe} and the fit's {@code finish}
 *       reply of a linear model also carry {@code "coefficients"} ({@link #withCoefficients}).</li>
 * </ul>
 */
public final class ModelProtocol {

  /** The model's public address. */
  public static final String ADDRESS = "busflow.model";
  /** The most row blocks a fit request may ask for ({@code rowBlocks}). */
  public static final int MAX_ROW_BLOCKS = 1024;
  /** Fit sessions live at addresses under this prefix. */
  public static final String FIT_PREFIX = "busflow.model.fit";

  private ModelProtocol() {}

  /** A request to the model. */
  public sealed interface Request permits Predict, Fit, Load, Save, Describe {}

  /**
   * Predict {@code features} with model {@code model}.
   *
   * @param state    the model's state as JSON text, for a node that does not know it yet; may be null
   * @param idColumn a column of {@code features} to copy first into the predictions; may be null
   * @param asJson   whether the reply should be JSON rows (set for JSON requests)
   * @param from     the cluster node whose store has the state, fetched from there once per node by a node that
   *                 lacks it ({@link io.busflow.pipeline.internal.StateStore#fetch}); may be null
   */
  public record Predict(String model, String state, Batch features, String idColumn, boolean asJson, String from)
      implements Request {
    public Predict(String model, String state, Batch features, String idColumn, boolean asJson) {
      this(model, state, features, idColumn, asJson, null);
    }

    public Predict(String model, Batch features, String idColumn) {
      this(model, null, features, idColumn, false, null);
    }

    public Predict withState(String stateJson) {
      return new Predict(model, stateJson, features, idColumn, asJson, from);
    }
  }

  /** The predictions of one batch and the version of the model that made them. */
  /** Predictions of {@code model}, made on the node named {@code node}. */
  public record Predicted(String model, Batch predictions, String node) {
    JsonObject toJson() {
      return new JsonObject().put("model", model).put("rows", BatchJson.toRows(predictions));
    }
  }

  /** Start a fit session. */
  public record Fit(ModelSpec spec, String label, List<String> exclude, int rowBlocks) implements Request {
    public Fit {
      exclude = List.copyOf(exclude);
      if (rowBlocks < 1) {
        throw new IllegalArgumentException("rowBlocks must be at least 1, got " + rowBlocks);
      }
    }

    /** A fit over one row block. */
    public Fit(ModelSpec spec, String label, List<String> exclude) {
      this(spec, label, exclude, 1);
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("op", "fit").put("spec", spec.toJson()).put("label", label)
          .put("exclude", new JsonArray(List.copyOf(exclude)));
      return rowBlocks == 1 ? j : j.put("rowBlocks", rowBlocks);
    }
  }

  /** Learn a model, given or from a file. */
  public record Load(Map<String, Object> state, String path) implements Request {}

  /** Save a known model to {@code path}. */
  public record Save(String model, String path) implements Request {}

  /** Return a known model's state. */
  public record Describe(String model) implements Request {}

  /**
   * {@code reply} with {@code "coefficients"}: the model's {@link Coefficients} table, largest |coef| first
   * ({@code [{"class":…,"intercept":…,"coefficients":[{"feature":…,"coef":…},…]},…]}), when it has one.
   */
  static JsonObject withCoefficients(JsonObject reply, Model m) {
    Coefficients c = Coefficients.of(m);
    return c == null ? reply : reply.put("coefficients", new JsonArray(c.toList()));
  }

  /** JSON for a load request with a given state. */
  public static JsonObject load(Map<String, Object> state) {
    return new JsonObject().put("op", "load").put("state", JsonShapes.toJson(state));
  }

  static Request decode(Envelope e) {
    if (e.body() instanceof Predict p) {
      return p;
    }
    return Requests.fromJson(e, ADDRESS, ModelProtocol::decode);
  }

  private static Request decode(JsonObject j) {
    ConfigReader r = new ConfigReader(j, "");
    String op = r.requiredString("op");
    Request req = switch (op) {
      case "predict" -> new Predict(r.requiredString("model"), r.has("state") ? r.rawObject("state").encode() : null,
          BatchJson.fromRows(Requests.rows(j), "rows"), r.string("id", null), true);
      case "fit" -> new Fit(ModelSpec.readFittable(r.object("spec")), r.requiredString("label"),
          r.strings("exclude", List.of()), r.integer("rowBlocks", 1, 1, MAX_ROW_BLOCKS));
      case "load" -> load(r);
      case "save" -> new Save(r.requiredString("model"), r.requiredString("path"));
      case "describe" -> new Describe(r.requiredString("model"));
      default -> throw new ConfigException("op", "is '" + op + "' but must be predict, fit, load, save or describe");
    };
    r.allow("rows");
    r.done();
    return req;
  }

  private static Load load(ConfigReader r) {
    Requests.Source source = Requests.loadSource(r, "the model");
    return new Load(source.state(), source.path());
  }

  /** The codecs of this protocol's records. */
  public static List<BinaryCodec<?>> codecs() {
    return List.of(
        BinaryCodec.of(Predict.class, ModelProtocol::encode, ModelProtocol::decodePredict),
        BinaryCodec.of(Predicted.class, ModelProtocol::encode, ModelProtocol::decodePredicted));
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
