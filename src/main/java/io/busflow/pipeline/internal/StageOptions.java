package io.busflow.pipeline.internal;

import io.busflow.config.ConfigReader;
import io.busflow.data.io.DataRoots;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The options every stage and the coordinator share, read from the actor's {@code options}: where data
 * may be read ({@code dataRoots}, default {@code ["data"]}), where output may go ({@code outputRoots},
 * default {@code ["data/out"]}), the pipeline definitions directory ({@code pipelines}), and how
 * long an idle session (cursor, fit) lives ({@code sessionIdleMs}, default 120000); for the preprocessor and
 * model, how many fitted states and estimated bytes the node keeps per kind and each instance caches
 * ({@code storeStates}, default 256; {@code storeBytes}, default 64 MB) and the bytes this JVM's fit sessions may
 * keep ({@code fitMaxBytes}, default half the maximum heap: {@link FitMemory}, named in errors at {@code
 * fitMaxBytesPath}); for the coordinator, how many ended
 * jobs it keeps and their reports' estimated bytes ({@code keepEnded}, default 100; {@code keepEndedBytes},
 * default 16 MB) and how many jobs it runs at once ({@code maxRunningJobs}, default {@value #MAX_RUNNING_JOBS}). A
 * node fills the roots from its {@code data} section unless the actor's options name them.
 */
public record StageOptions(DataRoots dataRoots, DataRoots outputRoots, String pipelines, long sessionIdleMs,
                           int storeStates, long storeBytes, int keepEnded, long keepEndedBytes, long fitMaxBytes,
                           String fitMaxBytesPath, int maxRunningJobs) {

  /** Default of {@code maxRunningJobs}: jobs one coordinator runs at once. */
  public static final int MAX_RUNNING_JOBS = 16;

  public static final List<String> DEFAULT_DATA_ROOTS = List.of("data");
  public static final List<String> DEFAULT_OUTPUT_ROOTS = List.of("data/out");

  /** Reads {@code options}; {@code extra} names further keys the caller reads itself. */
  public static StageOptions read(JsonObject options, String path, String... extra) {
    ConfigReader r = new ConfigReader(options, path);
    StageOptions o = new StageOptions(
        roots("data roots", r.strings("dataRoots", DEFAULT_DATA_ROOTS)),
        roots("output roots", r.strings("outputRoots", DEFAULT_OUTPUT_ROOTS)),
        r.string("pipelines", "conf/pipelines"),
        r.longValue("sessionIdleMs", 120_000, 100, 86_400_000),
        r.integer("storeStates", StateStore.CAPACITY, 1, 1_000_000),
        r.longValue("storeBytes", StateStore.BUDGET_BYTES, 1024, Long.MAX_VALUE),
        r.integer("keepEnded", 100, 1, 1_000_000),
        r.longValue("keepEndedBytes", 16L * 1024 * 1024, 1024, Long.MAX_VALUE),
        r.longValue("fitMaxBytes", FitMemory.defaultMaxBytes(), 1024, Long.MAX_VALUE),
        r.path("fitMaxBytes"),
        r.integer("maxRunningJobs", MAX_RUNNING_JOBS, 1, 100_000));
    for (String key : extra) {
      r.allow(key);
    }
    r.done();
    return o;
  }

  /** Roots for reading state files: the output roots first (where training saved them), then the data roots. */
  public DataRoots artifactRoots() {
    List<Path> all = new java.util.ArrayList<>(outputRoots.roots());
    all.addAll(dataRoots.roots());
    return new DataRoots("output and data roots", all);
  }

  private static DataRoots roots(String description, List<String> dirs) {
    return new DataRoots(description, dirs.stream().map(Path::of).toList());
  }
}
