package io.busflow.data.io;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The all-or-nothing life cycle and column checks shared by the format writers. */
abstract class AbstractBatchWriter implements BatchWriter {

  private final OutputFile file;
  private final WriteOptions options;
  private List<String> columns;
  private int[] decimals;
  private long rows;
  private boolean finished;

  AbstractBatchWriter(OutputFile file, WriteOptions options) {
    this.file = file;
    this.options = options;
  }

  /** Called once, before the first rows, with the columns every batch will have. */
  abstract void begin(List<String> columns) throws IOException;

  abstract void writeRows(Batch batch) throws IOException;

  /** Flushes the format's buffers into the stream of the output file. */
  abstract void finish() throws IOException;

  final OutputFile file() {
    return file;
  }

  /**
   * The text of a cell: {@code null} when missing, a numeric cell with its configured decimals, anything
   * else as {@link Column#text} prints it.
   */
  final String text(Column column, int col, int row) {
    if (decimals[col] >= 0 && column instanceof NumericColumn && !column.isMissing(row)) {
      return FixedDecimals.format(((NumericColumn) column).get(row), decimals[col]);
    }
    return column.text(row);
  }

  /** The decimals of numeric column number {@code col}, or {@code -1} to print it as Column.text does. */
  final int decimals(int col) {
    return decimals[col];
  }

  @Override
  public final Path target() {
    return file.target();
  }

  @Override
  public final long rowsWritten() {
    return rows;
  }

  @Override
  public final void write(Batch batch) {
    requireOpen();
    try {
      if (columns == null) {
        start(batch.columnNames());
      }
      requireColumns(batch);
      writeRows(batch);
      rows += batch.rowCount();
    } catch (IOException e) {
      throw failed(e);
    } catch (UncheckedIOException e) {
      throw failed(e.getCause());
    }
  }

  private void start(List<String> names) throws IOException {
    columns = names;
    decimals = new int[names.size()];
    for (int i = 0; i < decimals.length; i++) {
      decimals[i] = options.decimalsFor(names.get(i));
    }
    begin(names);
  }

  private void requireColumns(Batch batch) {
    if (!batch.columnNames().equals(columns)) {
      throw new IllegalArgumentException("batch " + batch.index() + " has columns " + batch.columnNames()
          + " but " + target() + " was started with " + columns + "; write batches of one schema");
    }
  }

  @Override
  public final void commit() {
    requireOpen();
    finished = true;
    try {
      finish();
      file.commit();
    } catch (IOException e) {
      file.abort();
      throw file.failure(e);
    } catch (UncheckedIOException e) {
      file.abort();
      throw file.failure(e.getCause());
    }
  }

  @Override
  public final void abort() {
    finished = true;
    file.abort();
  }

  @Override
  public final void close() {
    if (!finished) {
      abort();
    }
  }

  private DataException failed(IOException e) {
    abort();
    return file.failure(e);
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException("the writer of " + target() + " was already committed or aborted");
    }
  }
}
