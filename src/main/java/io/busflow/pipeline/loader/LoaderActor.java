package io.busflow.pipeline.loader;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.data.Batch;
import io.busflow.data.BooleanColumn;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import io.busflow.data.StringColumn;
import io.busflow.data.io.Schema;
import io.busflow.data.ColumnType;
import io.busflow.data.io.BatchReader;
import io.busflow.data.io.BatchReaders;
import io.busflow.data.io.DataException;
import io.busflow.data.io.DataRoots;
import io.busflow.data.io.ReadOptions;
import io.busflow.data.io.SplitPlanner;
import io.busflow.pipeline.internal.Batches;
import io.busflow.pipeline.internal.Blocking;
import io.busflow.pipeline.internal.Failures;
import io.busflow.pipeline.internal.SessionActor;
import io.busflow.pipeline.internal.StageOptions;
import io.busflow.pipeline.protocol.BatchJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loader stage: answers the requests of {@link LoaderProtocol}. Files are opened and read on worker
 * threads (inline when deployed as a worker, the default in {@code conf/busflow.json}; through
 * {@code executeBlocking} otherwise). Options: those of {@link StageOptions}.
 */
public final class LoaderActor extends Actor<LoaderProtocol.Request> {

  private StageOptions options;

  public LoaderActor() {
    super(LoaderProtocol.ADDRESS, LoaderProtocol::decode);
  }

  @Override
  protected Future<?> onStart() {
    options = StageOptions.read(settings().options(), "actors." + settings().name() + ".options");
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(LoaderProtocol.Request request) {
    return dispatch(request).recover(t -> Future.failedFuture(Failures.map(t, null)));
  }

  private Future<?> dispatch(LoaderProtocol.Request request) {
    if (request instanceof LoaderProtocol.Open o) {
      return onOpen(o);
    }
    if (request instanceof LoaderProtocol.Plan p) {
      return Blocking.call(vertx, () -> plan(p));
    }
    if (request instanceof LoaderProtocol.Load l) {
      return Blocking.call(vertx, () -> load(l));
    }
    return Blocking.call(vertx, () -> describe(((LoaderProtocol.Describe) request).source()));
  }

  private Future<JsonObject> onOpen(LoaderProtocol.Open o) {
    return Blocking.call(vertx, () -> openReader(o)).compose(opening -> {
      String address = SessionActor.newAddress(LoaderProtocol.CURSOR_PREFIX);
      DataRoots roots = options.dataRoots();
      String shown = roots.shown(o.source(), opening.reader().path());
      return SessionActor.deploy(vertx, new CursorActor(address, opening.reader(), shown,
              options.sessionIdleMs()), address)
          .map(a -> new LoaderProtocol.Opened(a, shown, roots.display(opening.reader().path()),
              opening.reader().schema(), opening.rows()).toJson())
          .onFailure(t -> opening.reader().close());
    });
  }

  private record Opening(BatchReader reader, long rows) {}

  private Opening openReader(LoaderProtocol.Open o) throws java.io.IOException {
    Path path = options.dataRoots().resolveExisting(o.source());
    BatchReader reader = openKeepingText(path, o.read(), o.text(), o.range());
    try {
      return new Opening(reader, o.countRows() ? RowCounter.estimate(path, o.read().header()) : -1);
    } catch (java.io.IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Opens with the {@code text} columns declared as text, leaving out those the file does not have. */
  private static BatchReader openKeepingText(Path path, ReadSpec read, List<String> text,
      ReadOptions.ByteRange range) {
    List<String> wanted = new ArrayList<>(text);
    while (true) {
      ReadSpec spec = read;
      for (String c : wanted) {
        spec = spec.declaring(c, ColumnType.STRING);
      }
      try {
        return BatchReaders.open(path, range == null ? spec.toOptions() : spec.toOptions().withRange(range));
      } catch (DataException e) {
        if (e.line() != 0 || e.column() == null || !wanted.remove(e.column())) {
          throw e;
        }
      }
    }
  }

  private JsonObject plan(LoaderProtocol.Plan p) {
    Path path = options.dataRoots().resolveExisting(p.source());
    return new LoaderProtocol.Planned(p.source(), SplitPlanner.plan(path, p.read().toOptions(), p.partitions(),
        p.minBytes())).toJson();
  }

  private Object load(LoaderProtocol.Load l) {
    Path path = options.dataRoots().resolveExisting(l.source());
    try (BatchReader reader = BatchReaders.open(path, l.read().toOptions())) {
      String shown = options.dataRoots().shown(l.source(), path);
      Batch table = readAll(reader, shown, l.maxRows());
      if (!l.asJson()) {
        return table;
      }
      return new JsonObject().put("rows", BatchJson.toRows(table))
          .put("summary", LoaderProtocol.Summary.of(shown, reader, true).toJson());
    }
  }

  private static Batch readAll(BatchReader reader, String source, int maxRows) {
    List<Batch> batches = new ArrayList<>();
    for (Batch b = reader.next(); b != null; b = reader.next()) {
      if (reader.rowsPassed() > maxRows) {
        throw new ActorException(ErrorCode.TOO_LARGE, "'" + source + "' has more than " + maxRows
            + " rows; raise maxRows or read it in batches with {\"op\":\"open\"}");
      }
      batches.add(b);
    }
    Batch all = Batches.concat(batches);
    return all != null ? all : emptyTable(reader);
  }

  private static Batch emptyTable(BatchReader reader) {
    List<Column> columns = new ArrayList<>();
    for (Schema.Field f : reader.schema().fields()) {
      columns.add(switch (f.type()) {
        case NUMERIC -> new NumericColumn(f.name(), new double[0]);
        case BOOLEAN -> new BooleanColumn(f.name(), new byte[0]);
        case STRING -> new StringColumn(f.name(), new String[0]);
      });
    }
    return new Batch(0, 0, 0, columns);
  }

  private JsonObject describe(String source) {
    Path path = options.dataRoots().resolveExisting(source);
    try (BatchReader reader = BatchReaders.open(path, ReadOptions.defaults())) {
      while (reader.next() != null) {
        // count every row; the summary is the reply
      }
      JsonObject summary = LoaderProtocol.Summary.of(source, reader, true).toJson();
      return summary.put("message", "Data loaded from " + source + " (" + reader.rowsPassed() + " rows, "
          + reader.schema().size() + " columns)")
          .put("columns", LoaderProtocol.columnsJson(reader.schema()));
    }
  }
}
