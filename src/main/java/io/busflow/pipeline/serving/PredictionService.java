package io.busflow.pipeline.serving;

import io.busflow.actor.ActorException;
import io.busflow.config.NodeConfig;
import io.busflow.data.Batch;
import io.busflow.data.io.DataException;
import io.busflow.data.io.DataRoots;
import io.busflow.data.model.OutputSchema;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.client.OnlineResends;
import io.busflow.pipeline.client.PipelineFiles;
import io.busflow.pipeline.client.Refs;
import io.busflow.pipeline.client.SavedStates;
import io.busflow.pipeline.client.Scored;
import io.busflow.pipeline.client.StageClient;
import io.busflow.pipeline.client.UserStages;
import io.busflow.pipeline.internal.BoundedCache;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.pipeline.protocol.BatchJson;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.PredictionJson;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Online predictions with a pipeline's saved preprocessor and model, asked of the preprocessor and model
 * actors by request-reply: what {@code POST /api/v1/pipelines/{name}/predict} serves. The pipeline file
 * ({@code pipelines/NAME.json}) names where its train job saved them ({@code preprocessing.path},
 * {@code model.path}, looked up in the output roots, then the data roots).
 *
 * <p>The saved states are read and loaded into the stages once per pipeline and reused; at most every
 * {@code refresh} the pipeline file and the two state files are checked (modification time and size), and
 * reloaded when one changed — after a newer train job, the next requests get the new model. A stage node
 * that does not know the states (restarted, or another cluster member) is sent them with the request.
 * Failures are {@link ActorException}s: NOT_FOUND for an unknown pipeline (listing the known ones), CONFLICT
 * for one whose preprocessor and model were never saved (run its train job), BAD_REQUEST naming the record,
 * column and value for a record the pipeline cannot use, and the stages' own. On a cluster, a request in flight
 * to the stages when a member leaves is sent again ({@link OnlineResends}) rather than left to time out.
 *
 * <p>Confined to one Vert.x context: make one per verticle (the HTTP bridge makes one per instance).
 */
public final class PredictionService {

  /** Default time between checks of the saved files. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);
  /** Default bound of the loaded pipelines' estimated bytes: 64 MB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  private final Vertx vertx;
  private final String pipelinesDir;
  private final DataRoots artifactRoots;
  private final long refreshMs;
  private final BoundedCache<Served> served;
  private final Map<String, Future<Served>> checking = new HashMap<>();
  private final OnlineResends resends;
  private final WholeFiles.Bound stateFiles;

  /**
   * @param pipelinesDir  directory of the pipeline files
   * @param artifactRoots where saved states are looked up (the node's output roots, then its data roots)
   * @param refresh       time between checks of the saved files; zero checks on every request
   */
  public PredictionService(Vertx vertx, String pipelinesDir, DataRoots artifactRoots, Duration refresh) {
    this(vertx, pipelinesDir, artifactRoots, refresh, DEFAULT_MAX_BYTES);
  }

  /**
   * The same, keeping at most {@code maxBytes} (estimated: 2 bytes a character of the saved states' JSON) of
   * loaded pipelines, the least recently used out; a pipeline whose states alone are larger is refused with
   * {@code BAD_REQUEST} naming it, the size and {@code http.limits.servedStateBytes}.
   */
  public PredictionService(Vertx vertx, String pipelinesDir, DataRoots artifactRoots, Duration refresh,
      long maxBytes) {
    this.vertx = vertx;
    this.pipelinesDir = pipelinesDir;
    this.artifactRoots = artifactRoots;
    this.refreshMs = refresh.toMillis();
    this.served = new BoundedCache<>("the pipelines loaded for predictions",
        "http.limits.servedStateBytes", Integer.MAX_VALUE, maxBytes);
    this.stateFiles = stateFiles(maxBytes);
    this.resends = new OnlineResends(vertx, "online predictions");
  }

  /**
   * The bound on a saved state file read for predictions: its JSON counts 2 bytes a character in {@code maxBytes}
   * ({@code http.limits.servedStateBytes}), so a larger file could not be kept.
   */
  static WholeFiles.Bound stateFiles(long maxBytes) {
    return new WholeFiles.Bound(maxBytes / 2, "a saved state may have to be served for predictions (half the "
        + "bound: its JSON counts 2 bytes a character)", "http.limits.servedStateBytes");
  }

  /** A service with the pipelines directory and roots of {@code node}, checking files every second. */
  public static PredictionService of(Vertx vertx, NodeConfig node) {
    return of(vertx, node, DEFAULT_MAX_BYTES);
  }

  /** The same, keeping at most {@code maxBytes} of loaded pipelines. */
  public static PredictionService of(Vertx vertx, NodeConfig node, long maxBytes) {
    return new PredictionService(vertx, node.pipelines(), Catalog.artifactRoots(node), DEFAULT_REFRESH, maxBytes);
  }

  /**
   * Predicts the {@code records} of {@code body} ({@code {"records":[…]}}) with pipeline {@code pipeline};
   * completes with the reply {@link PredictionJson} describes. The stages are asked with correlation id
   * {@code correlationId} and must answer within {@code timeout}.
   */
  public Future<JsonObject> predict(String pipeline, Object body, String correlationId, Duration timeout) {
    return predict(pipeline, body, correlationId, timeout, (bytes, records, classes) -> { });
  }

  /**
   * What an answer will take, told before it is made: the caller may refuse it by throwing (an {@link
   * ActorException}, or its own failure), and the prediction fails with that.
   */
  @FunctionalInterface
  public interface AnswerBudget {
    /**
     * {@code bytes}: about the most heap the answer to {@code records} records takes while it is made ({@link
     * PredictionJson#answerBytes}); {@code classes}: the model's classes (0 for a regressor).
     */
    void take(long bytes, int records, int classes);
  }

  /** {@link #predict(String, Object, String, Duration)}, telling {@code budget} what the answer will take first. */
  public Future<JsonObject> predict(String pipeline, Object body, String correlationId, Duration timeout,
                                    AnswerBudget budget) {
    JsonArray records;
    try {
      records = PredictionJson.records(body);
    } catch (ActorException e) {
      return Future.failedFuture(e);
    }
    return served(pipeline).compose(s -> {
      budget.take(PredictionJson.answerBytes(records.size(), s.output), records.size(), s.output.classes().size());
      return s.predict(records, new Refs(vertx, correlationId, timeout));
    });
  }

  private Future<Served> served(String pipeline) {
    Served s = served.get(pipeline);
    if (s != null && System.currentTimeMillis() - s.checkedAt < refreshMs) {
      return Future.succeededFuture(s);
    }
    Future<Served> pending = checking.get(pipeline);
    if (pending == null) {
      pending = check(pipeline, s);
      if (!pending.isComplete()) {
        checking.put(pipeline, pending);
        pending.onComplete(ar -> checking.remove(pipeline));
      }
    }
    return pending;
  }

  /** {@code current} when its files did not change, else the pipeline (re)loaded; failures are not kept. */
  private Future<Served> check(String pipeline, Served current) {
    return vertx.executeBlocking(() -> current != null && current.stamp.equals(stamp(pipeline)) ? null
            : read(pipeline), false)
        .compose(read -> read == null ? Future.succeededFuture(current) : load(read))
        .map(s -> {
          s.checkedAt = System.currentTimeMillis();
          served.put(pipeline, s, s.bytes());
          return s;
        })
        .onFailure(t -> served.forget(pipeline))
        .recover(t -> Future.failedFuture(Failures.map(t, null)));
  }

  /** What was read from disk for one pipeline. */
  private record Saved(String pipeline, PipelineDefinition def, JsonObject preprocessor, JsonObject model,
                       List<String> stamp) {
    Saved withPreprocessor(JsonObject state) {
      return new Saved(pipeline, def, state, model, stamp);
    }
  }

  private Saved read(String pipeline) throws IOException {
    List<String> stamp = stamp(pipeline);
    PipelineDefinition def = PipelineFiles.definition(PipelineFiles.read(pipelinesDir, pipeline), pipeline);
    return new Saved(pipeline, def, passesThrough(def) ? null
        : SavedStates.readState(artifactRoots, pipeline, def.preprocessorPath(), "preprocessing.path", stateFiles),
        SavedStates.modelState(artifactRoots, def, stateFiles), stamp);
  }

  /** Whether the pipeline scores without a saved preprocessor: score mode without preprocessing.path. */
  private static boolean passesThrough(PipelineDefinition def) {
    return !def.mode().trains() && def.preprocessorPath() == null;
  }

  /** Path, modification time and size of the pipeline file and its saved states (model, and preprocessor if any). */
  private List<String> stamp(String pipeline) throws IOException {
    JsonObject json = PipelineFiles.read(pipelinesDir, pipeline);
    PipelineDefinition def = PipelineFiles.definition(json, pipeline);
    List<String> stamp = new ArrayList<>();
    stamp.add(json.encode());
    if (!passesThrough(def)) {
      stamp.add(stampOf(saved(pipeline, def.preprocessorPath(), "preprocessing.path")));
    }
    stamp.add(stampOf(saved(pipeline, def.modelPath(), "model.path")));
    return stamp;
  }

  private static String stampOf(Path file) throws IOException {
    return file + "@" + Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
  }

  /** The saved state {@code path} names; CONFLICT when the pipeline does not save one or it was never trained. */
  private Path saved(String pipeline, String path, String key) {
    if (path == null) {
      throw ActorException.conflict("pipeline '" + pipeline + "' cannot serve predictions: it sets no " + key
          + ", so its train job does not save what predictions need; set preprocessing.path and model.path in "
          + PipelineFiles.file(pipelinesDir, pipeline) + " and run its train job");
    }
    try {
      return artifactRoots.resolveExisting(path);
    } catch (DataException e) {
      if (e.kind() != DataException.Kind.NOT_FOUND) {
        throw e;
      }
      throw ActorException.conflict("pipeline '" + pipeline + "' has not been trained: its " + key + " '" + path
          + "' is not in the " + artifactRoots.roots() + "; run its train job (./run.sh pipeline "
          + PipelineFiles.file(pipelinesDir, pipeline) + " --mode train, or POST /api/v1/jobs "
          + "{\"pipeline\":\"" + pipeline + "\",\"mode\":\"train\"}), then ask again");
    }
  }

  private Future<Served> load(Saved saved) {
    Refs refs = new Refs(vertx, "load-" + saved.pipeline, Duration.ofSeconds(30));
    return resends.ask(StageProtocol.MODEL_ADDRESS,
            () -> refs.to(StageProtocol.MODEL_ADDRESS).<JsonObject>ask(SavedStates.loadRequest(saved.model)))
        .map(SavedStates.loadReply(StageProtocol.Kind.MODEL))
        .compose(model -> {
          Saved full = saved.preprocessor != null ? saved : saved.withPreprocessor(SavedStates.passthrough(saved.def, model));
          return resends.ask(StageProtocol.PREPROCESS_ADDRESS, () -> refs.to(StageProtocol.PREPROCESS_ADDRESS)
                  .<JsonObject>ask(SavedStates.loadRequest(full.preprocessor)))
              .map(SavedStates.loadReply(StageProtocol.Kind.PREPROCESSOR))
              .map(pre -> new Served(full, (StageProtocol.PreprocessorLoaded) pre, model, resends));
        });
  }

  /** One pipeline's loaded preprocessor and model. */
  private static final class Served {
    final String pipeline;
    final List<String> stamp;
    final StageClient.Fitted fitted;
    final String idColumn;
    final Map<String, Preprocessor.Input> inputs;
    final OutputSchema output;
    final UserStages userStages;
    final OnlineResends resends;
    long checkedAt;

    /** The estimated bytes held: the saved states' JSON, 2 bytes a character. */
    long bytes() {
      return 2L * (fitted.preprocessorState().length() + fitted.modelState().length());
    }

    Served(Saved saved, StageProtocol.PreprocessorLoaded pre, StageProtocol.Loaded model, OnlineResends resends) {
      String mismatch = SavedStates.featureMismatch(saved.def, pre.features(), model.features());
      if (mismatch != null) {
        throw ActorException.conflict(mismatch + ", and run its train job again");
      }
      this.pipeline = saved.pipeline;
      this.stamp = saved.stamp;
      this.fitted = StageClient.Fitted.of(pre, saved.preprocessor.encode(), model, saved.model.encode());
      this.idColumn = pre.idColumn();
      this.inputs = pre.inputs();
      this.output = ((StageProtocol.ModelLoaded) model).output();
      this.userStages = new UserStages(saved.def);
      this.resends = resends;
    }

    /** Predicts {@code records}, first through the pipeline's actor steps when it has some. */
    Future<JsonObject> predict(JsonArray records, Refs refs) {
      Batch rows = BatchJson.fromRecords(records, userStages.none() ? inputs : BatchJson.recordInputs(records, inputs),
          "records");
      return userStages.apply(refs, resends, rows)
          .compose(b -> Scored.of(new StageClient(refs, resends, fitted), b, null, idColumn))
          .map(s -> PredictionJson.body(pipeline, fitted.preprocessor(), fitted.model(), s.predictions(), output, idColumn,
              s.unknown()));
    }
  }
}
