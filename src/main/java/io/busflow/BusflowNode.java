package io.busflow;

import io.busflow.actor.Actors;
import io.busflow.actor.Actors.ActorDeployment;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.EnvOverrides;
import io.busflow.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A busflow node: the launcher's Main-Verticle. Reads its configuration (the launcher's {@code -conf}, else
 * {@code conf/busflow.json}, else the bundled default), applies {@code BUSFLOW_…} environment overrides,
 * validates it, and deploys the configured actors under supervision. {@link #start()} completes when every
 * actor is registered; a bad key fails start-up naming its path.
 */
public class BusflowNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BusflowNode.class);
  static final String DEFAULT_FILE = "conf/busflow.json";

  private final List<ActorDeployment> deployments = new ArrayList<>();
  private NodeConfig nodeConfig;

  @Override
  public Future<?> start() {
    return loadConfig()
        .map(json -> nodeConfig = parse(json))
        .compose(cfg -> deployActors(cfg))
        .onSuccess(v -> LOG.info("node '{}' up: {} actors ({})", nodeConfig.nodeName(), deployments.size(),
            deployments.stream().map(ActorDeployment::address).toList()));
  }

  @Override
  public Future<?> stop() {
    return Future.all(deployments.stream().map(ActorDeployment::undeploy).toList());
  }

  /** The validated configuration; available once started. */
  public NodeConfig nodeConfig() {
    return nodeConfig;
  }

  private Future<JsonObject> loadConfig() {
    if (!config().isEmpty()) {
      return Future.succeededFuture(config());
    }
    return vertx.fileSystem().exists(DEFAULT_FILE).compose(exists -> exists
        ? vertx.fileSystem().readFile(DEFAULT_FILE).map(b -> parseFile(b.toString()))
        : Future.succeededFuture(new JsonObject()));
  }

  private static JsonObject parseFile(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(DEFAULT_FILE, "is not valid JSON: " + e.getMessage());
    }
  }

  private static NodeConfig parse(JsonObject json) {
    return NodeConfig.read(EnvOverrides.apply(json, System.getenv()), new ActorTypes());
  }

  private Future<Void> deployActors(NodeConfig cfg) {
    ActorRegistry.of(vertx).nodeName(cfg.nodeName());
    ActorTypes types = new ActorTypes();
    List<Future<ActorDeployment>> all = new ArrayList<>();
    for (ActorConfig a : cfg.actors()) {
      all.add(Actors.deploy(vertx, types.withNodeOptions(a, cfg), types.factory(a.type())).onSuccess(deployments::add));
    }
    return Future.all(all).mapEmpty();
  }
}
