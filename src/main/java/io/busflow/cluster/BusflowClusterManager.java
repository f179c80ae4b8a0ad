package io.busflow.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster manager with busflow's configuration: {@link ClusterConfigs#load()}, so the
 * {@code BUSFLOW_CLUSTER_*} overrides apply also to a Vert.x instance busflow does not create itself — the
 * launcher's {@code -cluster} ({@code java -jar busflow.jar -cluster …}) or {@code Vertx.builder()
 * .buildClustered()} with busflow on the class path. Found by Vert.x as a service provider; it takes the
 * place of the default Hazelcast manager, never of one the application set itself.
 */
public final class BusflowClusterManager extends HazelcastClusterManager {

  @Override
  public void init(VertxBootstrap builder) {
    ClusterManager current = builder.clusterManager();
    if (current == null || isDefault(current)) {
      builder.clusterManager(this);
    }
  }

  /** The manager Vert.x found on the class path by itself: Hazelcast's, with no configuration given. */
  private static boolean isDefault(ClusterManager m) {
    return m.getClass() == HazelcastClusterManager.class && ((HazelcastClusterManager) m).getConfig() == null;
  }

  @Override
  public Config loadConfig() {
    return ClusterConfigs.load();
  }
}
