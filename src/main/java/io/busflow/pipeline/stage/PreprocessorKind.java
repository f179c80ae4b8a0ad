package io.busflow.pipeline.stage;

import io.busflow.data.Batch;
import io.busflow.data.ContentHash;
import io.busflow.data.io.DataRoots;
import io.busflow.data.transform.Fitter;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.protocol.StageProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The preprocessor: its artifacts are {@link Preprocessor}s, ids {@code pp-…}; applying one transforms a batch
 * into features, counting the values that were not a fitted one-hot level. Each stage instance builds its own
 * preprocessor objects from the node's states, so that the counts of one request are exact while instances work
 * in parallel.
 */
final class PreprocessorKind implements StageKind<Preprocessor> {

  @Override
  public StageProtocol.Kind kind() {
    return StageProtocol.Kind.PREPROCESSOR;
  }

  @Override
  public Preprocessor build(Map<String, Object> state, DataRoots roots) {
    return Preprocessor.fromState(state);
  }

  @Override
  public Map<String, Object> state(Preprocessor p) {
    return p.toState();
  }

  /** A hash of the state as a preprocessor built from it gives it back, so a fitted and a loaded one agree. */
  @Override
  public String id(Preprocessor p) {
    return ContentHash.of("pp", Preprocessor.fromState(p.toState()).toState());
  }

  @Override
  public StageProtocol.Loaded loaded(Preprocessor p, String id, String from) {
    return new StageProtocol.PreprocessorLoaded(id, from, List.copyOf(p.featureNames()), p.idColumn(),
        p.labelColumn(), p.inputs());
  }

  @Override
  public List<Object> coefficients(Preprocessor p) {
    return null;
  }

  @Override
  public StageProtocol.Applied apply(Preprocessor p, StageProtocol.Applying request, String node) {
    var t = (StageProtocol.Transform) request;
    Preprocessor.Transformed out = p.transformCounting(t.batch());
    return new StageProtocol.Transformed(t.preprocessor(), out.features(), out.unknownLevels(), node);
  }

  /** The features, and the id column when the batch has it. */
  @Override
  public int outputColumns(Preprocessor p, Batch rows) {
    return p.featureNames().size() + (p.idColumn() != null && rows.has(p.idColumn()) ? 1 : 0);
  }

  @Override
  public Fitting<Preprocessor> fitting(StageProtocol.Fit fit) {
    return new SpecFitting(Preprocessor.Spec.parse(((StageProtocol.PreprocessorFit) fit).spec()));
  }

  /**
   * A one-pass spec streams into a {@link Fitter} (memory per column, not per row): one per piece of a
   * partitioned read ({@link Batches#piece}) when its fitters merge, each piece in a lane of its own (fitted at once),
   * merged in piece order at the end; a spec that needs more passes keeps the batches (one lane) and fits them at the
   * end in batch-index order (pieces in file order).
   */
  private static final class SpecFitting implements Fitting<Preprocessor> {
    private final Preprocessor.Spec spec;
    private final boolean onePass;
    private final boolean mergeable;
    /** Per lane (a piece, or 0), its fitter: made by {@link #lane}, filled by that lane's accepts. */
    private final Map<Integer, Fitter<Preprocessor>> fitters = new ConcurrentHashMap<>();
    private final List<Batch> kept = new ArrayList<>();
    /** The estimated bytes of {@link #kept}. */
    private final AtomicLong keptBatchBytes = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();

    SpecFitting(Preprocessor.Spec spec) {
      this.spec = spec;
      this.onePass = spec.passes() == 1;
      this.mergeable = spec.mergeable();
    }

    @Override
    public StageProtocol.FitStarted started(String session) {
      return new StageProtocol.FitStarted(session, spec.passes(), spec.passes() > 1 || mergeable);
    }

    /** A one-pass spec's batches go to their piece's fitter when fitters merge; everything else is one lane. */
    @Override
    public int lane(Batch batch) {
      if (!onePass) {
        return 0;
      }
      int lane = mergeable ? Batches.piece(batch) : 0;
      fitters.computeIfAbsent(lane, p -> spec.fitter());
      return lane;
    }

    @Override
    public void accept(Batch batch) {
      if (onePass) {
        fitters.get(lane(batch)).accept(batch);
      } else {
        kept.add(batch);
        keptBatchBytes.addAndGet(Batches.bytes(batch));
      }
      rows.addAndGet(batch.rowCount());
    }

    @Override
    public Result<Preprocessor> finish() {
      Preprocessor p = onePass ? merged().finish() : spec.fit(Batches.sorted(kept)::iterator);
      release();
      return new Result<>(p, rows.get(), 0, null);
    }

    /** The pieces' fitters merged in piece order into the first. */
    private Fitter<Preprocessor> merged() {
      TreeMap<Integer, Fitter<Preprocessor>> inOrder = new TreeMap<>(fitters);
      Fitter<Preprocessor> first = inOrder.pollFirstEntry().getValue();
      inOrder.values().forEach(first::merge);
      return first;
    }

    /** The fitters' kept values (a median's), or the batches a multi-pass spec keeps. */
    @Override
    public long keptBytes() {
      long sum = keptBatchBytes.get();
      for (Fitter<Preprocessor> f : fitters.values()) {
        sum += f.keptBytes();
      }
      return sum;
    }

    @Override
    public void release() {
      kept.clear();
      fitters.clear();
      keptBatchBytes.set(0);
    }
  }
}
