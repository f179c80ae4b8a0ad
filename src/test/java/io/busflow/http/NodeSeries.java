package io.busflow.http;

import io.busflow.testkit.JarNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node's {@code /metrics} says happened inside it since the last reading: for the soak's window lines,
 * the node's own view of a window beside the load generator's. Quantiles come from the differences of
 * cumulative histogram buckets between two scrapes (the upper bound of the bucket that holds the quantile), so
 * they cover exactly the window. Series the node does not publish (Vert.x's, when it was started without
 * busflow's launcher) are left out of the line.
 */
final class NodeSeries {

  private final JarNode node;
  private Map<String, Double> last = Map.of();

  NodeSeries(JarNode node) {
    this.node = node;
  }

  /** The window's line: HTTP time in the node, time waiting for a worker, actors' processing, gauges. */
  String window() {
    PrometheusText now;
    try {
      HttpResponse<String> r = node.get("/metrics");
      now = PrometheusText.parse(r.body());
    } catch (Exception e) {
      return "node series ?: " + e;
    }
    Map<String, Double> cumulative = new HashMap<>();
    for (PrometheusText.Sample s : now.samples()) {
      cumulative.put(key(s), s.value());
    }
    Map<String, Double> before = last;
    last = cumulative;
    if (before.isEmpty()) {
      return "node series from the next window";
    }
    List<String> parts = new ArrayList<>();
    quantiles(now, before, "vertx_http_server_response_time_seconds", "route", "http", parts);
    quantiles(now, before, "vertx_pool_queue_time_seconds", "pool_name", "queue", parts);
    quantiles(now, before, "busflow_actor_processing_seconds", "address", "actor", parts);
    gauge(now, "vertx_http_server_active_connections", "conns", parts);
    gauge(now, "vertx_eventbus_pending", "bus pending", parts);
    gauge(now, "busflow_actor_mailbox_depth", "mailbox", parts);
    gauge(now, "jvm_threads_live_threads", "threads", parts);
    return "node: " + String.join("; ", parts);
  }

  /** p50/p99/count in the window of every series of histogram {@code name}, named by label {@code by}. */
  private static void quantiles(PrometheusText now, Map<String, Double> before, String name, String by,
      String label, List<String> parts) {
    Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
    for (PrometheusText.Sample s : now.find(name + "_bucket", Map.of())) {
      String le = s.labels().get("le");
      double delta = s.value() - before.getOrDefault(key(s), 0.0);
      buckets.computeIfAbsent(s.labels().getOrDefault(by, "-"), k -> new TreeMap<>())
          .merge("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), delta, Double::sum);
    }
    buckets.forEach((series, cdf) -> {
      double total = cdf.lastEntry().getValue();
      if (total >= 1) {
        parts.add(String.format(Locale.ROOT, "%s %s n=%.0f p50 %s p99 %s", label, shortName(series), total,
            ms(cdf, 0.5 * total), ms(cdf, 0.99 * total)));
      }
    });
  }

  private static String ms(TreeMap<Double, Double> cdf, double rank) {
    for (Map.Entry<Double, Double> e : cdf.entrySet()) {
      if (e.getValue() >= rank) {
        return e.getKey().isInfinite() ? "inf" : String.format(Locale.ROOT, "≤%.1fms", e.getKey() * 1000);
      }
    }
    return "?";
  }

  private static void gauge(PrometheusText now, String name, String label, List<String> parts) {
    double sum = now.find(name, Map.of()).stream().mapToDouble(PrometheusText.Sample::value).sum();
    if (!now.find(name, Map.of()).isEmpty()) {
      parts.add(String.format(Locale.ROOT, "%s %.0f", label, sum));
    }
  }

  private static String shortName(String series) {
    return series.length() > 28 ? "…" + series.substring(series.length() - 27) : series;
  }

  private static String key(PrometheusText.Sample s) {
    return s.name() + s.labels();
  }
}
