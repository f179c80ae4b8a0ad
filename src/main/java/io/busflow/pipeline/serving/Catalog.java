package io.busflow.pipeline.serving;

import io.busflow.actor.ActorException;
import io.busflow.config.NodeConfig;
import io.busflow.data.io.DataException;
import io.busflow.data.io.DataRoots;
import io.busflow.data.model.Model;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.client.PipelineFiles;
import io.busflow.pipeline.client.SavedStates;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.internal.WholeFiles;
import io.busflow.pipeline.protocol.ActorStep;
import io.busflow.pipeline.protocol.JobReport;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.stage.ModelArtifacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a node serves, read from its files: the pipelines of its pipelines directory (name, mode, model type,
 * source) and the fitted models their train jobs saved (name, type, version hash, input features, the training
 * metrics of the pipeline's report when there is one). Read-only; a file that cannot be read is listed with its
 * error instead of failing the list. Files are read on worker threads.
 */
public final class Catalog {

  private final Vertx vertx;
  private final String pipelinesDir;
  private final DataRoots artifactRoots;
  private final WholeFiles.Bound stateFiles;

  public Catalog(Vertx vertx, String pipelinesDir, DataRoots artifactRoots) {
    this(vertx, pipelinesDir, artifactRoots, PredictionService.DEFAULT_MAX_BYTES);
  }

  /**
   * The same, reading saved states and reports of at most half {@code maxBytes} ({@code
   * http.limits.servedStateBytes}, as predictions do); a larger file is listed with its error.
   */
  public Catalog(Vertx vertx, String pipelinesDir, DataRoots artifactRoots, long maxBytes) {
    this.vertx = vertx;
    this.pipelinesDir = pipelinesDir;
    this.artifactRoots = artifactRoots;
    this.stateFiles = PredictionService.stateFiles(maxBytes);
  }

  /** The catalog of {@code node}'s pipelines directory, its saved states looked up as predictions do. */
  public static Catalog of(Vertx vertx, NodeConfig node) {
    return of(vertx, node, PredictionService.DEFAULT_MAX_BYTES);
  }

  /** The same, reading files of at most half {@code maxBytes} ({@code http.limits.servedStateBytes}). */
  public static Catalog of(Vertx vertx, NodeConfig node, long maxBytes) {
    return new Catalog(vertx, node.pipelines(), artifactRoots(node), maxBytes);
  }

  /** Where saved states are looked up: the node's output roots, then its data roots. */
  static DataRoots artifactRoots(NodeConfig node) {
    List<Path> roots = new ArrayList<>();
    node.outputRoots().forEach(r -> roots.add(Path.of(r)));
    node.dataRoots().forEach(r -> roots.add(Path.of(r)));
    return new DataRoots("output and data roots", roots);
  }

  /** {@code {"pipelines":[{"name","mode","model","source","file"} or {"name","file","error"}]}}, by name. */
  public Future<JsonObject> pipelines() {
    return vertx.executeBlocking(() -> new JsonObject().put("pipelines",
        new JsonArray(PipelineFiles.known(pipelinesDir).stream().map(this::listed).toList())), false);
  }

  /**
   * {@code {"models":[{"name","pipeline","mode","type","version","features","classes","output","path","savedAt",
   * "trainedAt","metrics"}]}}: one per pipeline whose model file exists (a train job's saved model, or the
   * model a score pipeline serves, such as an ONNX file), by pipeline name; {@code output} is the model's
   * output schema (prediction column, classes, one probability column per class, the positive one).
   */
  public Future<JsonObject> models() {
    return vertx.executeBlocking(() -> new JsonObject().put("models", new JsonArray(PipelineFiles.known(pipelinesDir)
        .stream().map(this::model).flatMap(Optional::stream).toList())), false);
  }

  /**
   * One pipeline in full: its {@link #pipelines()} entry, {@code trained} (whether the files predictions need are
   * there), {@code fitted} (its {@link #models()} entry, null until trained), {@code actorSteps} (the addresses of the
   * user stages a record passes first) and {@code inputs}, what a predict record holds: one entry per column the
   * saved preprocessing (or, without one, the model) reads, in order, {@code {"name","type","missingAllowed"}} with
   * {@code type} {@code numeric} (numbers; booleans count as 1/0) or {@code string}; null until trained. Fails
   * {@code NOT_FOUND} for an unknown pipeline and {@code BAD_REQUEST} for an invalid one, as jobs do.
   */
  public Future<JsonObject> pipeline(String name) {
    return vertx.executeBlocking(() -> {
      PipelineDefinition def = PipelineFiles.definition(PipelineFiles.read(pipelinesDir, name), name);
      JsonObject fitted = model(name).orElse(null);
      JsonArray inputs = fitted == null ? null : inputs(def, fitted);
      return pipelineEntry(name, def).put("trained", inputs != null).put("fitted", inputs == null ? null : fitted)
          .put("actorSteps", new JsonArray(def.actorSteps().stream().map(ActorStep::address).toList()))
          .put("inputs", inputs);
    }, false);
  }

  /** The input columns of {@code def}'s saved preprocessor, or of its model's features; null when not saved. */
  private JsonArray inputs(PipelineDefinition def, JsonObject fitted) throws IOException {
    Preprocessor pre;
    if (def.preprocessorPath() == null) {
      List<String> features = fitted.getJsonArray("features").stream().map(String::valueOf).toList();
      pre = new Preprocessor(def.id(), def.label(), List.of(), features);
    } else {
      Map<String, Object> state;
      try {
        state = JsonShapes.toMap(SavedStates.readState(artifactRoots, def.name(), def.preprocessorPath(),
            "preprocessing.path", stateFiles));
      } catch (DataException e) {
        if (e.kind() == DataException.Kind.NOT_FOUND) {
          return null;
        }
        throw e;
      }
      pre = loaded(def, state);
    }
    JsonArray out = new JsonArray();
    pre.inputs().forEach((column, in) -> out.add(new JsonObject().put("name", column)
        .put("type", in.type().name().toLowerCase(Locale.ROOT)).put("missingAllowed", in.missingAllowed())));
    return out;
  }

  /** The preprocessor of saved {@code state}; CONFLICT naming the file when it cannot be built from it. */
  private static Preprocessor loaded(PipelineDefinition def, Map<String, Object> state) {
    try {
      return Preprocessor.fromState(state);
    } catch (RuntimeException e) {
      throw ActorException.conflict("pipeline '" + def.name() + "': the saved preprocessor '" + def.preprocessorPath()
          + "' cannot be read (" + e.getMessage() + "); run its train job again");
    }
  }

  private JsonObject listed(String name) {
    try {
      return pipelineEntry(name, PipelineFiles.definition(PipelineFiles.read(pipelinesDir, name), name));
    } catch (IOException | RuntimeException e) {
      return new JsonObject().put("name", name).put("file", PipelineFiles.file(pipelinesDir, name).toString())
          .put("error", e.getMessage());
    }
  }

  private JsonObject pipelineEntry(String name, PipelineDefinition def) {
    return new JsonObject().put("name", name).put("file", PipelineFiles.file(pipelinesDir, name).toString())
        .put("mode", def.mode().label()).put("model", def.model() == null ? null : def.model().type())
        .put("source", def.mode().trains() ? def.source() : def.scoringSource())
        .put("modelPath", def.modelPath()).put("output", def.output() == null ? null : def.output().path());
  }

  private Optional<JsonObject> model(String name) {
    try {
      PipelineDefinition def = PipelineFiles.definition(PipelineFiles.read(pipelinesDir, name), name);
      if (def.modelPath() == null) {
        return Optional.empty();
      }
      Path file = artifactRoots.resolveExisting(def.modelPath());
      Map<String, Object> state = JsonShapes.toMap(SavedStates.modelState(artifactRoots, def, stateFiles));
      Model model = ModelArtifacts.load(state, artifactRoots);
      JsonObject entry = new JsonObject().put("name", name).put("pipeline", name).put("mode", def.mode().label())
          .put("type", String.valueOf(state.get("type"))).put("version", model.version())
          .put("features", new JsonArray(model.featureNames()))
          .put("classes", model.output().classifier() ? new JsonArray(model.output().classes()) : null)
          .put("output", new JsonObject(model.output().toMap())).put("path", artifactRoots.display(file))
          .put("savedAt", Files.getLastModifiedTime(file).toInstant().toString());
      return Optional.of(def.mode().trains()
          ? entry.put("trainedAt", entry.getString("savedAt")).put("metrics", trainingMetrics(def)) : entry);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The evaluation metrics of the pipeline's last report, if it has one that can be read. */
  private JsonObject trainingMetrics(PipelineDefinition def) {
    try {
      JsonObject report = new JsonObject(WholeFiles.readString(artifactRoots.resolveExisting(def.report()),
          def.report(), stateFiles, "run the pipeline's train job again"));
      return JobReport.evaluationMetrics(report, "training");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
