package io.busflow.pipeline.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files read whole into memory — saved states, model files, reports —, each checked against a bound first, so that
 * a path pointed at the wrong file (a data file of gigabytes) fails with {@code TOO_LARGE} naming the file, its
 * size, the bound and the option that sets it, instead of running the node out of memory. Blocking.
 */
public final class WholeFiles {

  /**
   * A bound on what is read whole.
   *
   * @param maxBytes the most bytes a file may have
   * @param holder   what holds what is read, named in the refusal ("this node's model store holds")
   * @param option   the configuration key of {@code maxBytes}, or how to change it ("the heap (-Xmx)")
   */
  public record Bound(long maxBytes, String holder, String option) {}

  private WholeFiles() {}

  /** The text of {@code file}, shown to users as {@code shown}; {@code remedy} says what else to do when too large. */
  public static String readString(Path file, String shown, Bound bound, String remedy) throws IOException {
    check(file, shown, bound, remedy);
    return Files.readString(file);
  }

  /** The bytes of {@code file}, shown to users as {@code shown}. */
  public static byte[] readAllBytes(Path file, String shown, Bound bound, String remedy) throws IOException {
    check(file, shown, bound, remedy);
    return Files.readAllBytes(file);
  }

  private static String size(long bytes) {
    return bytes < 1024 * 1024 ? bytes + " bytes" : FitMemory.mb(bytes);
  }

  private static void check(Path file, String shown, Bound bound, String remedy) throws IOException {
    long size = Files.size(file);
    if (size > bound.maxBytes()) {
      throw new ActorException(ErrorCode.TOO_LARGE, "'" + shown + "' is " + size(size) + ", more than the "
          + size(bound.maxBytes()) + " " + bound.holder() + " (" + bound.option() + "); " + remedy
          + ", or raise " + bound.option());
    }
  }
}
