package io.busflow.pipeline.coordinator;

import io.busflow.actor.ActorException;
import io.busflow.data.io.DataRoots;
import io.busflow.data.io.OutputFileLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps two jobs from writing one file at once: a job holds a Vert.x lock named after each path it
 * writes (cluster-wide when clustered) and an operating-system lock on it ({@link OutputFileLock}: other
 * processes on the machine, such as a CLI job beside a serving node) from before it starts until it ends.
 * A path already held is {@code CONFLICT}, naming the job that holds it when it runs in this JVM.
 */
final class OutputLocks {

  private static final Map<Path, String> HOLDERS = new ConcurrentHashMap<>();

  private final List<Lock> locks;
  private final List<OutputFileLock> fileLocks;
  private final List<Path> paths;

  private OutputLocks(List<Lock> locks, List<OutputFileLock> fileLocks, List<Path> paths) {
    this.locks = locks;
    this.fileLocks = fileLocks;
    this.paths = paths;
  }

  /** Takes the locks of {@code paths} for {@code job}, all or none. */
  static Future<OutputLocks> acquire(Vertx vertx, String job, List<Path> paths) {
    List<Path> sorted = new ArrayList<>(new TreeSet<>(paths));
    return next(vertx, job, sorted, 0, new ArrayList<>())
        .compose(locks -> vertx.executeBlocking(() -> fileLocks(sorted), false)
            .onFailure(t -> locks.forEach(Lock::release))
            .map(files -> {
              sorted.forEach(p -> HOLDERS.put(p, job));
              return new OutputLocks(locks, files, sorted);
            }));
  }

  /** The OS locks of {@code paths}, all or none; CONFLICT naming the first one another process holds. */
  private static List<OutputFileLock> fileLocks(List<Path> paths) {
    List<OutputFileLock> held = new ArrayList<>();
    for (Path p : paths) {
      OutputFileLock l = OutputFileLock.tryLock(p);
      if (l == null) {
        held.forEach(OutputFileLock::release);
        throw ActorException.conflict("'" + DataRoots.redact(p.toString()) + "' is being written by another"
            + " process (a busflow node or CLI job on this machine); wait for it to finish or write to another path");
      }
      held.add(l);
    }
    return held;
  }

  private static Future<List<Lock>> next(Vertx vertx, String job, List<Path> paths, int i, List<Lock> held) {
    if (i == paths.size()) {
      return Future.succeededFuture(held);
    }
    Path p = paths.get(i);
    return vertx.sharedData().getLockWithTimeout("busflow.output:" + p, 10)
        .recover(t -> {
          held.forEach(Lock::release);
          String holder = HOLDERS.get(p);
          return Future.failedFuture(ActorException.conflict("'" + DataRoots.redact(p.toString()) + "' is being written by "
              + (holder != null ? "job '" + holder + "'" : "another job") + "; wait for it to finish (op status)"
              + " or write to another path"));
        })
        .compose(lock -> {
          held.add(lock);
          return next(vertx, job, paths, i + 1, held);
        });
  }

  /**
   * Releases every lock at once, before the job's end is announced, so that a job started on hearing of
   * it finds the paths free. Unlocking a file region is one non-waiting system call (no I/O), fine on an
   * event loop; taking the locks opens files and runs on a worker.
   */
  void release() {
    paths.forEach(HOLDERS::remove);
    fileLocks.forEach(OutputFileLock::release);
    locks.forEach(Lock::release);
  }
}
