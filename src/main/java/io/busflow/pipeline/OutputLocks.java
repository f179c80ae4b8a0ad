package io.busflow.pipeline;

import io.busflow.actor.ActorException;
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
 * writes (cluster-wide when clustered) from before it starts until it ends. A path already held is
 * {@code CONFLICT}, naming the job that holds it when it runs in this JVM.
 */
final class OutputLocks {

  private static final Map<Path, String> HOLDERS = new ConcurrentHashMap<>();

  private final List<Lock> locks;
  private final List<Path> paths;

  private OutputLocks(List<Lock> locks, List<Path> paths) {
    this.locks = locks;
    this.paths = paths;
  }

  /** Takes the locks of {@code paths} for {@code job}, all or none. */
  static Future<OutputLocks> acquire(Vertx vertx, String job, List<Path> paths) {
    List<Path> sorted = new ArrayList<>(new TreeSet<>(paths));
    return next(vertx, job, sorted, 0, new ArrayList<>())
        .map(locks -> {
          sorted.forEach(p -> HOLDERS.put(p, job));
          return new OutputLocks(locks, sorted);
        });
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
          return Future.failedFuture(ActorException.conflict("'" + p + "' is being written by "
              + (holder != null ? "job '" + holder + "'" : "another job") + "; wait for it to finish (op status)"
              + " or write to another path"));
        })
        .compose(lock -> {
          held.add(lock);
          return next(vertx, job, paths, i + 1, held);
        });
  }

  void release() {
    paths.forEach(HOLDERS::remove);
    locks.forEach(Lock::release);
  }
}
