package io.busflow.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.busflow.config.ConfigException;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the Hazelcast configuration of a busflow node: {@code conf/cluster.xml} (or the copy bundled in
 * the jar) with the overrides documented there applied from the environment and system properties.
 */
public final class ClusterConfigs {

  /** The configuration file used when none is named. */
  public static final Path DEFAULT_FILE = Path.of("conf", "cluster.xml");

  private ClusterConfigs() {}

  /** The system property naming another Hazelcast file, as the Vert.x Hazelcast cluster manager reads it. */
  public static final String FILE_PROPERTY = "vertx.hazelcast.config";

  /**
   * The file named by {@code -Dvertx.hazelcast.config}, else {@code conf/cluster.xml} when present, else the
   * bundled default; with the overrides applied.
   */
  public static Config load() {
    String named = System.getProperty(FILE_PROPERTY);
    Path file = named != null && !named.isBlank() ? Path.of(named) : DEFAULT_FILE;
    if (named != null && !named.isBlank() && !Files.isRegularFile(file)) {
      throw new ConfigException(FILE_PROPERTY, "names '" + named + "', which is not a file; point it at a "
          + "Hazelcast XML file such as conf/cluster.xml, or drop it to use the bundled default");
    }
    return load(file, System.getenv(), System.getProperties());
  }

  public static Config load(Path file, Map<String, String> env, Properties props) {
    Config c = read(file);
    applyOverrides(c, env, props);
    return c;
  }

  /** A loopback-only configuration with the given cluster name, as tests and the demo use. */
  public static Config loopback(String clusterName) {
    Config c = read(DEFAULT_FILE);
    c.setClusterName(clusterName);
    return c;
  }

  private static Config read(Path file) {
    // the file says slf4j too, but Hazelcast logs while reading it: say so before, unless told otherwise
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    try {
      if (Files.isRegularFile(file)) {
        return new FileSystemXmlConfig(file.toFile());
      }
      InputStream in = ClusterConfigs.class.getResourceAsStream("/cluster.xml");
      if (in == null) {
        throw new FileNotFoundException(file.toString());
      }
      return new XmlConfigBuilder(in).build();
    } catch (FileNotFoundException | RuntimeException e) {
      throw new ConfigException(file.toString(), "cannot read the Hazelcast configuration: " + e.getMessage()
          + " (fix the XML or remove the file to use the bundled default)");
    }
  }

  static void applyOverrides(Config c, Map<String, String> env, Properties props) {
    String name = setting("name", env, props);
    if (name != null) {
      c.setClusterName(name);
    }
    NetworkConfig net = c.getNetworkConfig();
    String members = setting("members", env, props);
    if (members != null) {
      TcpIpConfig tcp = net.getJoin().getTcpIpConfig().setEnabled(true);
      List<String> list = Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      tcp.setMembers(list);
    }
    String port = setting("port", env, props);
    if (port != null) {
      try {
        net.setPort(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new ConfigException("cluster.port", "is '" + port + "' but must be a port number");
      }
    }
    String iface = setting("interface", env, props);
    if (iface != null) {
      net.getInterfaces().setEnabled(true).setInterfaces(List.of(iface));
    }
    String publicAddress = setting("publicAddress", env, props);
    if (publicAddress != null) {
      net.setPublicAddress(publicAddress);
    }
  }

  private static String setting(String key, Map<String, String> env, Properties props) {
    String fromProps = props.getProperty("busflow.cluster." + key);
    if (fromProps != null && !fromProps.isBlank()) {
      return fromProps;
    }
    String envName = "BUSFLOW_CLUSTER_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    String fromEnv = env.get(envName);
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }
}
