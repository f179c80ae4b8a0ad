package io.busflow.config;

/**
 * Configuration that cannot be used; the message names the key's path, the value and the remedy. An expected error
 * (bad input, not a bug), so it carries no stack trace: a launcher that logs a failed start-up shows the message
 * alone.
 */
public final class ConfigException extends RuntimeException {

  private final String path;

  public ConfigException(String path, String message) {
    super(path + ": " + message, null, false, false);
    this.path = path;
  }

  /** The dotted path of the offending key, e.g. {@code actors.loader.instances}. */
  public String path() {
    return path;
  }
}
