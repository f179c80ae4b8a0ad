package io.busflow.actor;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells when members leave the cluster: Vert.x fails no request in flight to a member that died (its reply
 * would wait for the request's timeout), so whoever can resend such requests elsewhere watches membership.
 * Compares the cluster manager's member list every {@value #PERIOD_MS} ms on the caller's context; on a
 * Vert.x instance that is not clustered it never fires. Confined to the context it was started on.
 */
public final class MemberWatch {

  static final long PERIOD_MS = 200;

  private final Vertx vertx;
  private final ClusterManager cluster;
  private final Consumer<Set<String>> onLeft;
  private Set<String> members;
  private long timer = -1;

  private MemberWatch(Vertx vertx, Consumer<Set<String>> onLeft) {
    this.vertx = vertx;
    this.cluster = vertx.isClustered() && vertx instanceof VertxInternal v ? v.clusterManager() : null;
    this.onLeft = onLeft;
  }

  /** Starts watching; {@code onLeft} gets the ids of the members that left since the last look. */
  public static MemberWatch start(Vertx vertx, Consumer<Set<String>> onLeft) {
    MemberWatch w = new MemberWatch(vertx, onLeft);
    if (w.cluster != null) {
      w.members = w.nodes();
      w.timer = vertx.setPeriodic(PERIOD_MS, id -> w.look());
    }
    return w;
  }

  /**
   * Whether {@code node} (a cluster node id) is a member now; true on a node that is not clustered, and for a null
   * id (a reply from this JVM).
   */
  public boolean isMember(String node) {
    return cluster == null || node == null || nodes().contains(node);
  }

  /** Stops watching; idempotent. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void look() {
    Set<String> now = nodes();
    Set<String> left = new HashSet<>(members);
    left.removeAll(now);
    members = now;
    if (!left.isEmpty()) {
      onLeft.accept(left);
    }
  }

  private Set<String> nodes() {
    List<String> nodes = cluster.getNodes();
    return nodes == null ? Set.of() : new HashSet<>(nodes);
  }
}
