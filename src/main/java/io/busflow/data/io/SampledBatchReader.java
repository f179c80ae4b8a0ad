package io.busflow.data.io;

import io.busflow.data.Batch;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What every file reader shares: records read ahead for schema inference are replayed first, then records
 * are fetched until a batch is full; counters come from the {@link BatchAssembler}.
 *
 * @param <R> one raw record of the format (a CSV record, a JSON line)
 */
abstract class SampledBatchReader<R> implements BatchReader {

  protected final Path path;
  protected final ArrayDeque<R> sample = new ArrayDeque<>();
  protected BatchAssembler assembler;
  private boolean done;

  SampledBatchReader(Path path) {
    this.path = path;
  }

  /** The next record of the file, or {@code null} at its end. */
  protected abstract R fetch();

  /** Adds one record to the batch being assembled, or rejects it. */
  protected abstract void addRow(R record);

  /** The characters of text {@code record} holds. */
  protected abstract long chars(R record);

  /**
   * Reads up to {@code options}' sample rows ahead, for schema inference, stopping after the record that takes them
   * to its {@link ReadOptions#maxRecordChars} characters: at least one record, at most twice that in all.
   */
  protected final void fillSample(ReadOptions options) {
    long chars = 0;
    while (sample.size() < options.sampleRows() && chars < options.maxRecordChars()) {
      R record = fetch();
      if (record == null) {
        return;
      }
      sample.add(record);
      chars += chars(record);
    }
  }

  @Override
  public final Path path() {
    return path;
  }

  @Override
  public final Schema schema() {
    return assembler.schema();
  }

  @Override
  public final Batch next() {
    while (!done && !assembler.isFull()) {
      R record = sample.isEmpty() ? fetch() : sample.poll();
      if (record == null) {
        done = true;
      } else {
        addRow(record);
      }
    }
    return assembler.takeBatch();
  }

  @Override
  public final long rowsRead() {
    return assembler.rowsRead();
  }

  @Override
  public final long rowsPassed() {
    return assembler.rowsPassed();
  }

  @Override
  public final long rowsRejected() {
    return assembler.rowsRejected();
  }

  @Override
  public final List<Rejection> rejections() {
    return assembler.rejections();
  }
}
