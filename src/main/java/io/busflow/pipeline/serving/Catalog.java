package io.busflow.pipeline.serving;

import io.busflow.config.NodeConfig;
import io.busflow.data.io.DataRoots;
import io.busflow.data.model.Model;
import io.busflow.pipeline.client.PipelineFiles;
import io.busflow.pipeline.client.SavedStates;
import io.busflow.pipeline.internal.JsonShapes;
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

  public Catalog(Vertx vertx, String pipelinesDir, DataRoots artifactRoots) {
    this.vertx = vertx;
    this.pipelinesDir = pipelinesDir;
    this.artifactRoots = artifactRoots;
  }

  /** The catalog of {@code node}'s pipelines directory, its saved states looked up as predictions do. */
  public static Catalog of(Vertx vertx, NodeConfig node) {
    return new Catalog(vertx, node.pipelines(), artifactRoots(node));
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
        new JsonArray(PipelineFiles.known(pipelinesDir).stream().map(this::pipeline).toList())), false);
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

  private JsonObject pipeline(String name) {
    JsonObject entry = new JsonObject().put("name", name).put("file", PipelineFiles.file(pipelinesDir, name).toString());
    try {
      PipelineDefinition def = PipelineFiles.definition(PipelineFiles.read(pipelinesDir, name), name);
      return entry.put("mode", def.mode().label()).put("model", def.model() == null ? null : def.model().type())
          .put("source", def.mode().trains() ? def.source() : def.scoringSource())
          .put("modelPath", def.modelPath()).put("output", def.output() == null ? null : def.output().path());
    } catch (IOException | RuntimeException e) {
      return entry.put("error", e.getMessage());
    }
  }

  private Optional<JsonObject> model(String name) {
    try {
      PipelineDefinition def = PipelineFiles.definition(PipelineFiles.read(pipelinesDir, name), name);
      if (def.modelPath() == null) {
        return Optional.empty();
      }
      Path file = artifactRoots.resolveExisting(def.modelPath());
      Map<String, Object> state = JsonShapes.toMap(SavedStates.modelState(artifactRoots, def));
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
      JsonObject report = new JsonObject(Files.readString(artifactRoots.resolveExisting(def.report())));
      return JobReport.evaluationMetrics(report, "training");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
