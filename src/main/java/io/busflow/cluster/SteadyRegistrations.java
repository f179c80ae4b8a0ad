package io.busflow.cluster;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registrations Vert.x last saw per address, as a count per node: tells which updates change them. An
 * address is forgotten when its last registration goes, so this holds no more addresses than Vert.x's own
 * node selector does.
 */
final class SteadyRegistrations {

  private final Map<String, Map<String, Integer>> seen = new ConcurrentHashMap<>();

  /** {@code registrations}, remembered as what Vert.x now knows of {@code address}. */
  List<RegistrationInfo> read(String address, List<RegistrationInfo> registrations) {
    remember(address, registrations);
    return registrations;
  }

  /** Whether {@code registrations} differ from what Vert.x knows of {@code address}; remembers them. */
  boolean changed(String address, List<RegistrationInfo> registrations) {
    Map<String, Integer> before = remember(address, registrations);
    return registrations.isEmpty() || !counts(registrations).equals(before);
  }

  private Map<String, Integer> remember(String address, List<RegistrationInfo> registrations) {
    return registrations.isEmpty() ? seen.remove(address) : seen.put(address, counts(registrations));
  }

  private static Map<String, Integer> counts(List<RegistrationInfo> registrations) {
    Map<String, Integer> counts = new HashMap<>();
    for (RegistrationInfo r : registrations) {
      counts.merge(r.nodeId() + (r.localOnly() ? "/local" : ""), 1, Integer::sum);
    }
    return counts;
  }

  /** How many addresses are remembered (for tests). */
  int size() {
    return seen.size();
  }
}
