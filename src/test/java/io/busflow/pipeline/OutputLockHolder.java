package io.busflow.pipeline;

import io.busflow.data.io.OutputFileLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process for the cross-process output test: takes the OS lock of the path in {@code args[0]}
 * as a busflow job does, prints {@code locked} (or {@code busy}), and holds it until its standard input
 * closes.
 */
public final class OutputLockHolder {

  private OutputLockHolder() {}

  public static void main(String[] args) throws IOException {
    OutputFileLock lock = OutputFileLock.tryLock(Path.of(args[0]));
    System.out.println(lock == null ? "busy" : "locked");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lock until the test closes our input
    }
  }

  /** Starts a holder of {@code path} and waits until it holds the lock. */
  static Process start(Path path) throws IOException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutputLockHolder.class.getName(), path.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    if (!"locked".equals(first)) {
      p.destroyForcibly();
      throw new IllegalStateException("the lock holder said '" + first + "' for " + path);
    }
    return p;
  }
}
