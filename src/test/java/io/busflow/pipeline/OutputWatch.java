package io.busflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Looks at a job's output path at each of its progress messages, to show that nothing partial is ever there:
 * the output appears whole or not at all. A progress message may be published just as the output is published
 * (the job's last tick), so seeing the output while the job runs is no fault; seeing it at any size other than its
 * final one is.
 */
final class OutputWatch {

  private final Path output;
  private final AtomicInteger absent = new AtomicInteger();
  private final Set<Long> sizesSeen = ConcurrentHashMap.newKeySet();

  OutputWatch(Path output) {
    this.output = output;
  }

  /** Looks at the output path now (call it from the job's progress consumer). */
  void look() {
    try {
      sizesSeen.add(Files.size(output));
    } catch (NoSuchFileException e) {
      absent.incrementAndGet();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Checks, once the job has ended, that the path was looked at while nothing was there, and that whenever
   * something was, it was the whole output.
   */
  void assertNeverPartial() throws IOException {
    assertTrue(absent.get() >= 1, "the output path was looked at while the job ran and nothing was there");
    long whole = Files.size(output);
    assertTrue(sizesSeen.stream().allMatch(s -> s == whole),
        "the output was seen at " + sizesSeen + " bytes while the job ran; it is " + whole + " bytes whole");
  }
}
