package io.busflow.testkit;

import io.busflow.actor.Actor;
import io.busflow.actor.Actors;
import io.busflow.config.ActorConfig;
import io.busflow.config.Threading;
import io.busflow.pipeline.coordinator.PieceRunner;
import io.busflow.pipeline.coordinator.PipelineActor;
import io.busflow.pipeline.loader.LoaderActor;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.PieceProtocol;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.busflow.pipeline.protocol.StageProtocol;
import io.busflow.pipeline.stage.StageActor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Deploys busflow's pipeline stages for tests, with data and output roots in a test directory. */
public final class Stages {

  private final List<Actors.ActorDeployment> deployed = new ArrayList<>();

  /** The options of every stage: data root {@code dir}, output root {@code dir/out}. */
  public static JsonObject options(Path dir) {
    return new JsonObject().put("dataRoots", new JsonArray().add(dir.toString()))
        .put("outputRoots", new JsonArray().add(dir.resolve("out").toString()));
  }

  /** Loader, two preprocessors and two models, as worker actors on {@code vertx}. */
  public Future<Void> deployStages(Vertx vertx, JsonObject options) {
    return Future.all(
        deployLoader(vertx, options),
        deploy(vertx, "preprocess", StageProtocol.PREPROCESS_ADDRESS, 2, Threading.WORKER, options, StageActor::preprocessor),
        deploy(vertx, "model", StageProtocol.MODEL_ADDRESS, 2, Threading.WORKER, options, StageActor::model)).mapEmpty();
  }

  /**
   * A preprocessor and a model on each event loop ({@code per-loop}, as {@code conf/busflow.json} has them), beside
   * those of {@link #deployStages}.
   */
  public Future<Void> deployLoopStages(Vertx vertx, JsonObject options) {
    return deploy(vertx, "preprocess-loop", StageProtocol.PREPROCESS_ADDRESS, 1, Threading.PER_LOOP, options,
        StageActor::preprocessor)
        .compose(v -> deploy(vertx, "model-loop", StageProtocol.MODEL_ADDRESS, 1, Threading.PER_LOOP, options,
            StageActor::model)).mapEmpty();
  }

  /** The loader and, beside it, the piece runner that scores the pieces it reads. */
  public Future<Void> deployLoader(Vertx vertx, JsonObject options) {
    return Future.all(
        deploy(vertx, "loader", LoaderProtocol.ADDRESS, 1, Threading.WORKER, options, LoaderActor::new),
        deploy(vertx, "runner", PieceProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PieceRunner::new)).mapEmpty();
  }

  /** The coordinator on {@code vertx}, on an event loop. */
  public Future<Void> deployCoordinator(Vertx vertx, JsonObject options) {
    return deploy(vertx, "pipeline", PipelineProtocol.ADDRESS, 1, Threading.EVENT_LOOP, options, PipelineActor::new)
        .mapEmpty();
  }

  public Future<Actors.ActorDeployment> deploy(Vertx vertx, String name, String address, int instances,
      Threading threading, JsonObject options, Supplier<? extends Actor<?>> factory) {
    ActorConfig c = ActorConfig.defaults(name, address).withInstances(instances).withThreading(threading)
        .withOptions(options.copy());
    return Actors.deploy(vertx, c, factory).onSuccess(deployed::add);
  }

  public Future<Void> undeployAll() {
    List<Actors.ActorDeployment> all = new ArrayList<>(deployed);
    deployed.clear();
    return Future.all(all.stream().map(Actors.ActorDeployment::undeploy).toList()).mapEmpty();
  }
}
