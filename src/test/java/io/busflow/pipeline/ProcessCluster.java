package io.busflow.pipeline;

import io.busflow.config.Threading;
import io.busflow.pipeline.coordinator.PipelineActor;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.stage.StageActor;
import io.busflow.testkit.ChurnData;
import io.busflow.cluster.NodeProcess;
import io.busflow.testkit.Stages;
import io.busflow.testkit.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A cluster for multi-process tests: this JVM is the coordinator node (coordinator, loader, preprocessors),
 * the models run in their own JVMs from {@code conf/nodes/model.json}, joined through the launcher's
 * {@code -cluster} with {@code BUSFLOW_CLUSTER_NAME} set to a random name. Blocking set-up and tear-down,
 * for {@code @BeforeAll} / {@code @AfterAll}.
 */
final class ProcessCluster {

  final Path dir;
  final String name = "busflow-test-" + UUID.randomUUID();
  /** The node JVMs this cluster started, in order: model nodes, and a reader when one was started; all stopped at the end. */
  final List<NodeProcess> models = new ArrayList<>();
  private final Stages stages = new Stages();
  private int started;
  Vertx member;
  JsonObject reference;

  ProcessCluster(Path dir) {
    this.dir = dir;
  }

  /** Writes the data, joins the cluster, deploys the local stages and starts {@code modelNodes} model JVMs. */
  ProcessCluster start(int trainRows, int scoreRows, int modelNodes) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    ChurnData.write(dir.resolve("churn.csv"), trainRows, 1, null);
    ChurnData.write(dir.resolve("churn-big.csv"), scoreRows, 3, null);
    JsonObject options = Stages.options(dir);
    member = TestCluster.startMember(name).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    List<Future<?>> up = new ArrayList<>();
    up.add(stages.deploy(member, "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PipelineActor::new));
    up.add(stages.deployLoader(member, options));
    up.add(stages.deploy(member, "preprocess", StageProtocol.PREPROCESS_ADDRESS, 2, Threading.WORKER, options,
        StageActor::preprocessor));
    for (int i = 0; i < modelNodes; i++) {
      up.add(startModelNode());
    }
    Future.all(up).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    return this;
  }

  /** Starts one more model JVM; completes when it is up. */
  Future<NodeProcess> startModelNode() {
    try {
      NodeProcess p = NodeProcess.start("model-" + (++started), Path.of("conf/nodes/model.json"), dir,
          Map.of("BUSFLOW_CLUSTER_NAME", name, "BUSFLOW_NODE__NAME", "model-" + started,
              "BUSFLOW_ACTORS__MODEL__INSTANCES", "1"), "-Xmx384m", "-Dbusflow.test.log=INFO");
      models.add(p);
      return p.ready(member, 90_000);
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Starts a reading JVM, named "reader": a loader, its piece runner and a preprocessor, with this test's data and
   * output roots (the same paths as this JVM's: storage every loader node sees); completes when it is up.
   */
  Future<NodeProcess> startReaderNode() {
    try {
      Path conf = dir.resolve("reader.json");
      JsonObject worker = new JsonObject().put("instances", 1).put("threading", "worker");
      Files.writeString(conf, new JsonObject()
          .put("node", new JsonObject().put("name", "reader"))
          .put("data", new JsonObject().put("roots", new JsonArray().add(dir.toString()))
              .put("outputRoots", new JsonArray().add(dir.resolve("out").toString())))
          .put("actors", new JsonObject()
              .put("loader", worker.copy().put("type", "loader"))
              .put("preprocess", worker.copy().put("type", "preprocess"))
              .put("runner", new JsonObject().put("type", "runner").put("instances", 1).put("threading", "event-loop")))
          .encodePrettily());
      NodeProcess p = NodeProcess.start("reader", conf, dir, Map.of("BUSFLOW_CLUSTER_NAME", name), "-Xmx384m",
          "-Dbusflow.test.log=INFO");
      models.add(p);
      return p.ready(member, 90_000);
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
  }

  void stop() throws Exception {
    models.forEach(NodeProcess::kill);
    if (member != null) {
      stages.undeployAll().compose(v -> member.close()).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    }
  }

  String logs() {
    StringBuilder sb = new StringBuilder();
    models.forEach(m -> sb.append("\n--- ").append(m.name()).append(" ---\n").append(m.log()));
    return sb.toString();
  }

  /** The churn pipeline scoring churn-big.csv into {@code output}. */
  static JsonObject pipeline(String mode, String output, int batchSize) {
    JsonObject p = JobContract.churnPipeline().put("mode", mode)
        .put("score", new JsonObject().put("source", "churn-big.csv"))
        .put("output", new JsonObject().put("path", output)).put("batchSize", batchSize).put("batchesInFlight", 4)
        .put("stageTimeoutMs", 120_000).put("stageWaitMs", 60_000);
    p.remove("report");
    return p;
  }

  /** {@link #pipeline} in score mode with {@code partitions} exact pieces of churn-big.csv, whatever its size. */
  static JsonObject partitioned(String output, int batchSize, int partitions) {
    return pipeline("score", output, batchSize).put("partitions", partitions).put("partitionMinBytes", 0);
  }

  /**
   * Starts a cluster of {@code modelNodes} model JVMs and runs the fault-free reference job: train on
   * {@code trainRows}, score {@code scoreRows} into reference.csv in batches of {@code batchSize}.
   */
  static ProcessCluster withReference(Path dir, int trainRows, int scoreRows, int modelNodes, int batchSize)
      throws Exception {
    ProcessCluster c = new ProcessCluster(dir).start(trainRows, scoreRows, modelNodes);
    c.reference = c.run(pipeline("train-then-score", "reference.csv", batchSize), p -> { })
        .toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
    return c;
  }

  /** Fails naming the reference job's report and the nodes' logs unless it succeeded. */
  void assertReferenceSucceeded() {
    org.junit.jupiter.api.Assertions.assertEquals("succeeded", reference.getString("state"),
        reference.encodePrettily() + logs());
  }

  /** Runs a job from the coordinator; {@code onProgress} sees its progress messages. */
  Future<JsonObject> run(JsonObject definition, Consumer<JsonObject> onProgress) {
    var run = new PipelineProtocol.Run(null, definition, null, new JsonObject());
    Promise<JsonObject> p = Promise.promise();
    member.getOrCreateContext().runOnContext(v -> PipelineClient.run(member, run, onProgress).onComplete(p));
    return p.future();
  }
}
