package io.busflow;

import io.busflow.actor.Actors;
import io.busflow.actor.FatalErrors;
import io.busflow.actor.Actors.ActorDeployment;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.EnvOverrides;
import io.busflow.config.NodeConfig;
import io.busflow.http.HttpBridge;
import io.busflow.http.HttpConfig;
import io.busflow.http.JobRoutes;
import io.busflow.http.PredictApi;
import io.busflow.pipeline.PredictionService;
import io.vertx.core.DeploymentOptions;
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
 * validates it (the {@code http} section too), starts the HTTP bridge when {@code http.enabled}, and deploys the
 * configured actors under supervision. {@link #start()} completes when the HTTP port is bound and every actor
 * is registered; a bad key fails start-up naming its path, before anything is deployed.
 */
public class BusflowNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BusflowNode.class);
  static final String DEFAULT_FILE = "conf/busflow.json";

  private final List<ActorDeployment> deployments = new ArrayList<>();
  private final List<HttpBridge> bridges = new ArrayList<>();
  private final boolean httpAllowed;
  private NodeConfig nodeConfig;
  private HttpConfig httpConfig;
  private String httpDeployment;

  /** A node as the launcher deploys it: actors, and the HTTP bridge when {@code http.enabled}. */
  public BusflowNode() {
    this(true);
  }

  private BusflowNode(boolean httpAllowed) {
    this.httpAllowed = httpAllowed;
  }

  /** A node for one-shot jobs (the command line): its actors only, never the HTTP bridge. */
  public static BusflowNode withoutHttp() {
    return new BusflowNode(false);
  }

  @Override
  public Future<?> start() {
    FatalErrors.install(vertx);
    return loadConfig()
        .map(json -> {
          nodeConfig = parse(json);
          httpConfig = HttpConfig.read(nodeConfig.http());
          return nodeConfig;
        })
        .compose(cfg -> deployHttp())
        .compose(v -> deployActors(nodeConfig))
        .recover(t -> undeployHttp().transform(ar -> Future.failedFuture(t)))
        .onSuccess(v -> LOG.info("node '{}' up: {} actors ({})", nodeConfig.nodeName(), deployments.size(),
            deployments.stream().map(ActorDeployment::address).toList()));
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> all = new ArrayList<>(deployments.stream().map(ActorDeployment::undeploy).toList());
    all.add(undeployHttp());
    return Future.all(all);
  }

  /** The validated configuration; available once started. */
  public NodeConfig nodeConfig() {
    return nodeConfig;
  }

  /** The HTTP bridge's bound port; -1 when it is not running. */
  public int httpPort() {
    synchronized (bridges) {
      return bridges.isEmpty() ? -1 : bridges.get(0).actualPort();
    }
  }

  private Future<Void> deployHttp() {
    if (!httpAllowed || !httpConfig.enabled()) {
      return Future.succeededFuture();
    }
    return vertx.deployVerticle(this::newBridge, new DeploymentOptions().setInstances(httpConfig.instances()))
        .onSuccess(id -> httpDeployment = id)
        .mapEmpty();
  }

  private HttpBridge newBridge() {
    // more routes plug in as ApiModules here: one prediction service per HTTP verticle instance (confined to
    // its context)
    HttpBridge b = new HttpBridge(httpConfig, nodeConfig.actors(),
        List.of(new PredictApi(PredictionService.of(vertx, nodeConfig)), new JobRoutes()));
    synchronized (bridges) {
      bridges.add(b);
    }
    return b;
  }

  private Future<Void> undeployHttp() {
    String id = httpDeployment;
    httpDeployment = null;
    return id == null ? Future.succeededFuture() : vertx.undeploy(id).recover(t -> Future.succeededFuture());
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
