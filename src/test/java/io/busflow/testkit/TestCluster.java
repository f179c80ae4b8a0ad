package io.busflow.testkit;

import com.hazelcast.config.Config;
import io.busflow.cluster.BusflowClusterManager;
import io.busflow.cluster.ClusterConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Clustered Vert.x instances on 127.0.0.1 with a random cluster name, so parallel runs never mix. */
public final class TestCluster {

  private TestCluster() {}

  public static Future<List<Vertx>> start(int members) {
    return start(java.util.Collections.nCopies(members, UnaryOperator.identity()));
  }

  /** One member per entry, each built by its entry's customisation of the builder (tracing, say). */
  public static Future<List<Vertx>> start(List<UnaryOperator<VertxBuilder>> members) {
    String name = "busflow-test-" + UUID.randomUUID();
    Future<Vertx> chain = Future.succeededFuture();
    List<Vertx> started = new ArrayList<>();
    for (UnaryOperator<VertxBuilder> member : members) {
      chain = chain.compose(v -> startMember(name, member)).onSuccess(started::add);
    }
    return chain.map(v -> List.copyOf(started));
  }

  public static Future<Vertx> startMember(String clusterName) {
    return startMember(clusterName, UnaryOperator.identity());
  }

  public static Future<Vertx> startMember(String clusterName, UnaryOperator<VertxBuilder> customize) {
    Config hz = ClusterConfigs.loopback(clusterName);
    return customize.apply(Vertx.builder()).withClusterManager(new BusflowClusterManager(hz)).buildClustered();
  }

  /** {@link #start(int)}, waiting up to a minute: for {@code @BeforeAll}. */
  public static List<Vertx> startNow(int members) throws Exception {
    return start(members).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** {@link #stop(List)}, waiting up to a minute: for {@code @AfterAll}. */
  public static void stopNow(List<Vertx> nodes) throws Exception {
    stop(nodes).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * Undeploys {@code stages} and closes {@code nodes} where a test closed or killed some of them: a member gone
   * rejects undeploys and closes, and that is ignored.
   */
  public static Future<Void> stopAfterLosses(Stages stages, List<Vertx> nodes) {
    return Future.succeededFuture().compose(v -> stages.undeployAll()).recover(t -> Future.succeededFuture())
        .compose(v -> stop(nodes).recover(t -> Future.succeededFuture()));
  }

  /**
   * Makes {@code member} leave the cluster abruptly, as a killed JVM does: no goodbye, and the requests it has stay
   * unanswered (a closed Vert.x instance would answer those still queued "discarded"). Close it afterwards.
   */
  public static void terminate(Vertx member) {
    new Thread(() -> ((HazelcastClusterManager) ((VertxInternal) member).clusterManager()).getHazelcastInstance()
        .getLifecycleService().terminate()).start();
  }

  public static Future<Void> stop(List<Vertx> nodes) {
    if (nodes == null) {
      return Future.succeededFuture();
    }
    return Future.all(nodes.stream().map(Vertx::close).toList()).mapEmpty();
  }
}
