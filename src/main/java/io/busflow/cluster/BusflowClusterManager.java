package io.busflow.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Hazelcast cluster manager with busflow's configuration: {@link ClusterConfigs#load()}, so the
 * {@code BUSFLOW_CLUSTER_*} overrides apply also to a Vert.x instance busflow does not create itself — the
 * launcher's {@code -cluster} ({@code java -jar busflow.jar -cluster …}) or {@code Vertx.builder()
 * .buildClustered()} with busflow on the class path. Found by Vert.x as a service provider; it takes the
 * place of the default Hazelcast manager, never of one the application set itself.
 *
 * <p>It also spreads point-to-point messages over the nodes in proportion to their consumers. Vert.x 5.1.6
 * weighs each node by its consumers at an address minus one ({@code DefaultNodeSelector.computeWeights}
 * starts a node at weight 0), so as soon as nodes host different numbers of instances of an actor, a node
 * with one instance gets no requests at all. The registration lists Vert.x reads from here carry one more
 * entry per node, which makes its weights the consumer counts; nothing else depends on their length.
 *
 * <p>And it keeps the round robin going when nothing changed: Vert.x builds a new selector, its position back at
 * the start, on every registration update it is given, and Hazelcast delivers the update for a registration
 * some time after the registration itself, often after this node already built its selector from the same,
 * complete list. Requests sent around that moment went twice to the first node of the cycle (a node with one
 * instance beside one with two got 31 and 59 of 90 requests instead of 30 and 60). Updates that leave every
 * node's count as Vert.x last saw it are therefore not passed on ({@link SteadyRegistrations}). So every
 * {@link #getRegistrations} call is taken for Vert.x's own reading of the address: other code should not call it
 * (an update it had read first would not reach Vert.x's selector); tests wait for routing by sending instead.
 */
public final class BusflowClusterManager extends HazelcastClusterManager {

  /** Configured from conf/cluster.xml and the overrides, when Vert.x creates it. */
  public BusflowClusterManager() {}

  /** With the given Hazelcast configuration. */
  public BusflowClusterManager(Config config) {
    super(config);
  }

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

  private final SteadyRegistrations steady = new SteadyRegistrations();

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    super.getRegistrations(address, (list, failure) -> promise.complete(
        list == null ? null : steady.read(address, weighted(list)), failure));
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    super.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsUpdated(RegistrationUpdateEvent event) {
        List<RegistrationInfo> list = weighted(event.registrations());
        if (steady.changed(event.address(), list)) {
          listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(), list));
        }
      }

      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }

      @Override
      public boolean wantsUpdatesFor(String address) {
        return listener.wantsUpdatesFor(address);
      }
    });
  }

  /** {@code registrations} and, once more, the first registration of each node in it. */
  static List<RegistrationInfo> weighted(List<RegistrationInfo> registrations) {
    List<RegistrationInfo> out = new ArrayList<>(registrations);
    Set<String> nodes = new HashSet<>();
    for (RegistrationInfo r : registrations) {
      if (nodes.add(r.nodeId())) {
        out.add(r);
      }
    }
    return out;
  }
}
