package io.busflow.pipeline.stage;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.RowBlocks;
import io.busflow.data.RowChunks;
import io.busflow.data.io.DataRoots;
import io.busflow.data.model.Coefficients;
import io.busflow.data.model.LogisticRegression;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
import io.busflow.data.transform.StateMaps;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.KeptRows;
import io.busflow.pipeline.internal.FitMemory;
import io.busflow.pipeline.protocol.StageProtocol;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model: its artifacts are {@link Model}s of the registered {@link io.busflow.stage.ModelType}s, ids their
 * versions ({@code logistic-…}); applying one predicts a feature batch. Models are immutable, so instances share
 * them and predict in parallel. A model trained elsewhere (onnx) is loaded from the file its state names
 * ({@link ModelArtifacts}).
 */
final class ModelKind implements StageKind<Model> {

  @Override
  public StageProtocol.Kind kind() {
    return StageProtocol.Kind.MODEL;
  }

  @Override
  public Model build(Map<String, Object> state, DataRoots roots) throws IOException {
    return ModelArtifacts.load(state, roots);
  }

  @Override
  public Map<String, Object> state(Model m) {
    return m.toState();
  }

  @Override
  public String id(Model m) {
    return m.version();
  }

  @Override
  public StageProtocol.Loaded loaded(Model m, String id, String from) {
    return new StageProtocol.ModelLoaded(id, from, List.copyOf(m.featureNames()), m.output());
  }

  @Override
  public List<Object> coefficients(Model m) {
    Coefficients c = Coefficients.of(m);
    return c == null ? null : c.toList();
  }

  @Override
  public StageProtocol.Applied apply(Model m, StageProtocol.Applying request, String node) {
    var p = (StageProtocol.Predict) request;
    Predictions out = m.predict(p.features(), p.idColumn());
    return new StageProtocol.Predicted(out.modelVersion(), out.batch(), node);
  }

  @Override
  public Fitting<Model> fitting(StageProtocol.Fit fit) {
    return new KeptFitting((StageProtocol.ModelFit) fit);
  }

  /**
   * Keeps the rows of the feature batches sent ({@link KeptRows}: in large arrays, one set per piece of a partitioned
   * read, copied at once in the pieces' lanes; taken at the end in batch-index order, so the result does not depend
   * on arrival order; the pieces in file order), then fits
   * them where they are ({@link io.busflow.stage.Estimator#fit(RowChunks, Column)}: busflow's types read them in
   * place, a plugin type may join them first); the fit's sums run on {@link #threads} threads at once. Rows without a
   * label are left out and counted (the rows are then joined, and those rows dropped, before the fit).
   */
  private static final class KeptFitting implements Fitting<Model> {
    private final StageProtocol.ModelFit fit;
    /** Per piece of a partitioned read (0 for a source read whole), its rows: the pieces' lanes copy at once. */
    private final Map<Integer, KeptRows> lanes = new ConcurrentHashMap<>();
    /** The features of the first batch (-1 before it), and what the fit's solver needs for them. */
    private volatile int features = -1;
    private volatile long solverBytes;
    /** A classifier's target values met so far (up to just past {@link #MOST_CLASSES}), for the solver's size. */
    private final Set<Object> classes = ConcurrentHashMap.newKeySet();
    private static final int MOST_CLASSES = 100_000;

    KeptFitting(StageProtocol.ModelFit fit) {
      this.fit = fit;
    }

    @Override
    public StageProtocol.FitStarted started(String session) {
      return new StageProtocol.FitStarted(session, 1, true);
    }

    @Override
    public void accept(Batch batch) {
      if (!batch.has(fit.label())) {
        throw ActorException.badRequest("model fit: the batch has no label column '" + fit.label() + "'; columns are "
            + batch.columnNames() + "; send the label with the features");
      }
      kept(batch).add(batch);
    }

    /** Each piece in a lane of its own, so that the pieces' rows are copied at once on different threads. */
    @Override
    public int lane(Batch batch) {
      return Batches.piece(batch);
    }

    private KeptRows kept(Batch batch) {
      return lanes.computeIfAbsent(Batches.piece(batch), p -> new KeptRows());
    }

    @Override
    public Result<Model> finish() throws Exception {
      int threads = threads(fit);
      RowChunks all = KeptRows.take(new TreeMap<>(lanes).values());
      if (all == null || all.rowCount() == 0) {
        throw ActorException.badRequest("model fit: no training rows were sent; check the source and the "
            + "train/test split");
      }
      int rows = all.rowCount();
      Column label = all.column(fit.label());
      if (!anyMissing(label)) {
        RowChunks features = all.select(featureNames(all.columnNames()));
        Model m = RowBlocks.within(threads, () -> fit.spec().fit(features, label));
        return new Result<>(m, rows, 0, fitInfo(m));
      }
      Batch labelled = Batches.withValueIn(all.join(threads), fit.label());
      if (labelled.rowCount() == 0) {
        throw ActorException.badRequest("model fit: every training row lacks a label in '" + fit.label()
            + "'; fill the label column");
      }
      Model m = RowBlocks.within(threads, () -> fit.spec().fit(features(labelled), labelled.column(fit.label())));
      return new Result<>(m, labelled.rowCount(), rows - labelled.rowCount(), fitInfo(m));
    }

    /**
     * The threads a join and the fit's sums run on: the fit's {@code rowBlocks} (its pieces), and at least this
     * node's cores, so that a job read in one piece still fits on every core. The fitted bits do not depend on it
     * ({@link RowBlocks}); the common pool bounds what runs at once.
     */
    private static int threads(StageProtocol.ModelFit fit) {
      return Math.min(StageProtocol.MAX_ROW_BLOCKS, Math.max(fit.rowBlocks(), Runtime.getRuntime().availableProcessors()));
    }

    private Batch features(Batch labelled) {
      return labelled.select(featureNames(labelled.columnNames()));
    }

    /** The columns the model is fitted on: all but the label and the excluded ones, in their order. */
    private List<String> featureNames(List<String> columns) {
      Set<String> drop = new HashSet<>(fit.exclude());
      drop.add(fit.label());
      return columns.stream().filter(c -> !drop.contains(c)).toList();
    }

    private static boolean anyMissing(Column c) {
      for (int i = 0; i < c.size(); i++) {
        if (c.isMissing(i)) {
          return true;
        }
      }
      return false;
    }

    private static Map<String, Object> fitInfo(Model m) {
      if (m instanceof LogisticRegression lr && lr.fitInfo() != null) {
        Map<String, Object> info = StateMaps.ordered();
        info.put("n_iter", lr.fitInfo().nIter());
        info.put("converged", lr.fitInfo().converged());
        return info;
      }
      return null;
    }

    @Override
    public long keptBytes() {
      return lanes.values().stream().mapToLong(KeptRows::bytes).sum() + solverBytes;
    }

    @Override
    public long keptBytesWith(Batch batch) {
      if (features < 0) {
        features = featureNames(batch.columnNames()).size();
      }
      if (fit.spec().classifier() && batch.has(fit.label()) && classes.size() <= MOST_CLASSES) {
        noteClasses(batch.column(fit.label()));
      }
      solverBytes = fit.spec().estimator().fitBytes(features, classes.size(), threads(fit));
      KeptRows lane = kept(batch);
      return keptBytes() - lane.bytes() + lane.bytesWith(batch);
    }

    /** Adds the target values of {@code y} to {@link #classes}: numbers as numbers (no text made per row). */
    private void noteClasses(Column y) {
      double[] numbers = y instanceof NumericColumn n ? n.values() : null;
      Object last = null;
      for (int i = 0; i < y.size(); i++) {
        if (!y.isMissing(i)) {
          Object v = numbers != null ? (Object) numbers[i] : y.text(i);
          if (!v.equals(last)) {
            classes.add(v);
            last = v;
          }
        }
      }
    }

    @Override
    public String keptDetail() {
      return solverBytes * 10 < keptBytes() ? "" : " (" + FitMemory.mb(solverBytes) + " of it for the solver of " + features
          + " features" + (classes.size() > 2 ? " and " + classes.size() + " classes" : "") + ", which grows with "
          + "their square: fewer features — fewer one-hot levels, maxLevels, or fewer columns —"
          + (classes.size() > 2 ? " or fewer classes" : "") + " need less)";
    }

    @Override
    public void release() {
      lanes.values().forEach(KeptRows::clear);
      lanes.clear();
    }
  }
}
