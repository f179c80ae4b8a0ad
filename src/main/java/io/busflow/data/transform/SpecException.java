package io.busflow.data.transform;

/**
 * A preprocessing spec that cannot be used: {@link #path()} is the offending key's path inside the spec
 * ({@code steps[0].impute.stratgy}), {@link #problem()} what is wrong with it and the remedy, so that a
 * caller reading the spec from a file can prefix its own place ({@code churn.preprocessing.}).
 */
public final class SpecException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public SpecException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** The key's path inside the spec, e.g. {@code steps[2].scale.method}. */
  public String path() {
    return path;
  }

  /** What is wrong and what to do, without the path. */
  public String problem() {
    return problem;
  }
}
