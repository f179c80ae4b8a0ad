package io.busflow.stage;

/** A spec that cannot be used; the message names the key's path, the value and the remedy. */
public final class SpecException extends IllegalArgumentException {

  private final String path;
  private final String detail;

  public SpecException(String path, String detail) {
    super(path + ": " + detail);
    this.path = path;
    this.detail = detail;
  }

  /** The dotted path of the offending key, for example {@code model.params.max_iter}. */
  public String path() {
    return path;
  }

  /** The message without the path. */
  public String detail() {
    return detail;
  }
}
