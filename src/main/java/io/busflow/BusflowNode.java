package io.busflow;

import io.busflow.actor.Actors;
import io.busflow.actor.FatalErrors;
import io.busflow.actor.Actors.ActorDeployment;
import io.busflow.actor.internal.ActorRegistry;
import io.busflow.config.ActorConfig;
import io.busflow.config.ConfigException;
import io.busflow.config.EnvOverrides;
import io.busflow.config.JsonProblems;
import io.busflow.config.NodeConfig;
import io.busflow.config.Threading;
import io.busflow.http.CatalogRoutes;
import io.busflow.http.ConsoleRoutes;
import io.busflow.http.HttpBridge;
import io.busflow.http.HttpConfig;
import io.busflow.http.JobRoutes;
import io.busflow.http.PredictApi;
import io.busflow.pipeline.serving.Catalog;
import io.busflow.pipeline.serving.PredictionService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
  /** The shipped {@link #DEFAULT_FILE}, copied into the jar by the build. */
  private static final String BUNDLED_FILE = "/io/busflow/busflow.json";
  private static final String RUNNING = "busflow.node";
  private static final int CONFIGURED_PORT = -1;

  private final List<ActorDeployment> deployments = new ArrayList<>();
  private final List<HttpBridge> bridges = new ArrayList<>();
  private final String token = UUID.randomUUID().toString();
  private final boolean httpAllowed;
  private final int portOverride;
  private ActorTypes types;
  private NodeConfig nodeConfig;
  private HttpConfig httpConfig;
  private String httpDeployment;

  /** A node as the launcher deploys it: actors, and the HTTP bridge when {@code http.enabled}. */
  public BusflowNode() {
    this(true);
  }

  private BusflowNode(boolean httpAllowed, int portOverride) {
    this.httpAllowed = httpAllowed;
    this.portOverride = portOverride;
  }

  private BusflowNode(boolean httpAllowed) {
    this(httpAllowed, CONFIGURED_PORT);
  }

  /** A node for one-shot jobs (the command line): its actors only, never the HTTP bridge. */
  public static BusflowNode withoutHttp() {
    return new BusflowNode(false);
  }

  /**
   * A node whose HTTP bridge runs on {@code port} (0: any free port) whatever {@code http.enabled} and
   * {@code http.port} say: the command line's {@code --port}.
   */
  public static BusflowNode withHttpPort(int port) {
    return new BusflowNode(true, port);
  }

  /**
   * Starts the node. Reading and validating the configuration, and the first use of the JSON, HTTP and metrics
   * libraries (class loading and static set-up that take seconds on a busy machine), run on a worker thread,
   * never on an event loop ({@link StartUp}). A Vert.x instance runs one busflow node: a second one (the
   * launcher's {@code -instances 2}) is refused, since it would run a second coordinator beside the first.
   */
  @Override
  public Future<?> start() {
    FatalErrors.install(vertx);
    return claimVertx()
        .compose(v -> vertx.executeBlocking(this::configure, false))
        .compose(cfg -> deployHttp())
        .compose(v -> deployActors(nodeConfig))
        .recover(t -> undeployHttp().transform(ar -> Future.failedFuture(t)))
        .onFailure(t -> releaseVertx())
        .onSuccess(v -> LOG.info("node '{}' up: {} actors ({})", nodeConfig.nodeName(), deployments.size(),
            deployments.stream().map(ActorDeployment::address).toList()));
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> all = new ArrayList<>(deployments.stream().map(ActorDeployment::undeploy).toList());
    all.add(undeployHttp());
    return Future.all(all).onComplete(ar -> releaseVertx());
  }

  private Future<Void> claimVertx() {
    String other = vertx.sharedData().<String, String>getLocalMap(RUNNING).putIfAbsent(RUNNING, token);
    return other == null || other.equals(token) ? Future.succeededFuture() : Future.failedFuture(new ConfigException(
        "instances", "a second busflow node in one Vert.x instance would run a second coordinator and HTTP "
        + "bridge; deploy BusflowNode once (no -instances N on the launcher) and set actors.<name>.instances "
        + "and http.instances in the configuration instead"));
  }

  private void releaseVertx() {
    vertx.sharedData().<String, String>getLocalMap(RUNNING).remove(RUNNING, token);
  }

  /** Blocking: reads, overrides and validates the configuration, and warms up what start-up uses next. */
  private NodeConfig configure() throws Exception {
    JsonObject json = loadConfig();
    if (portOverride != CONFIGURED_PORT) {
      JsonObject http = json.getJsonObject("http", new JsonObject());
      json.put("http", http.put("enabled", true).put("port", portOverride));
    }
    nodeConfig = parse(json);
    if (!vertx.isClustered()) {
      requireShared(nodeConfig);
    }
    StartUp.warm(vertx, httpAllowed && httpConfig.enabled());
    return nodeConfig;
  }

  /**
   * On a node alone, every per-loop actor needs another actor at its address: the asks made off its event loops
   * (from worker threads, or while the loop's instance is busy) go there. In a cluster that one may be on another
   * node.
   */
  private static void requireShared(NodeConfig cfg) {
    for (ActorConfig a : cfg.actors()) {
      if (a.threading() == Threading.PER_LOOP && cfg.actors().stream()
          .noneMatch(o -> o.address().equals(a.address()) && o.threading() != Threading.PER_LOOP)) {
        throw new ConfigException("actors." + a.name() + ".threading", "is 'per-loop', but no other actor of this "
            + "node is at its address '" + a.address() + "', and the node is not clustered: the asks made off its "
            + "event loops would find no one; add an 'event-loop' or 'worker' actor at that address");
      }
    }
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
        List.of(new PredictApi(PredictionService.of(vertx, nodeConfig,
            httpConfig.limits().servedStateBytes())), new JobRoutes(),
            new CatalogRoutes(Catalog.of(vertx, nodeConfig, httpConfig.limits().servedStateBytes())),
            new ConsoleRoutes()));
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

  private JsonObject loadConfig() throws IOException {
    if (!config().isEmpty()) {
      return config().copy();
    }
    if (!Files.isRegularFile(Path.of(DEFAULT_FILE))) {
      LOG.info("no {} in {}: using the shipped one bundled in the jar", DEFAULT_FILE, Path.of("").toAbsolutePath());
    }
    return defaultConfig();
  }

  /**
   * What a node reads when it is given no configuration: {@code conf/busflow.json} in the working directory, else
   * the shipped {@code conf/busflow.json} bundled in the jar (so a node started anywhere runs the standard actors).
   */
  static JsonObject defaultConfig() throws IOException {
    Path file = Path.of(DEFAULT_FILE);
    if (Files.isRegularFile(file)) {
      return parseFile(Files.readString(file));
    }
    try (InputStream in = BusflowNode.class.getResourceAsStream(BUNDLED_FILE)) {
      if (in == null) {
        throw new ConfigException(DEFAULT_FILE, "is not in " + Path.of("").toAbsolutePath()
            + " and the jar has no bundled copy; give the node a configuration with -conf");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static JsonObject parseFile(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(DEFAULT_FILE, "is not valid JSON: " + JsonProblems.describe(e));
    }
  }

  private NodeConfig parse(JsonObject json) {
    types = new ActorTypes();
    return EnvOverrides.read(json, System.getenv(), this::read);
  }

  /** The node's and the HTTP bridge's configuration from {@code json}, overrides applied. */
  private NodeConfig read(JsonObject json) {
    NodeConfig cfg = NodeConfig.read(json, types);
    httpConfig = HttpConfig.read(cfg.http());
    return cfg;
  }

  private Future<Void> deployActors(NodeConfig cfg) {
    ActorRegistry.of(vertx).nodeName(cfg.nodeName());
    List<Future<ActorDeployment>> all = new ArrayList<>();
    for (ActorConfig a : cfg.actors()) {
      all.add(Actors.deploy(vertx, types.withNodeOptions(a, cfg), types.factory(a.type())).onSuccess(deployments::add));
    }
    return Future.all(all).mapEmpty();
  }
}
