package io.busflow.data.io;

import io.busflow.data.Batch;
import java.nio.file.Path;
import java.util.List;

/**
 * A cursor over the rows of one data file, batch by batch. Open one with {@link BatchReaders#open}.
 *
 * <p>Guarantees: memory holds one batch and the inference sample, never the file. Batches come with
 * {@link Batch#index()} 0, 1, 2, … and {@link Batch#firstRow()} equal to the number of rows passed on
 * before them, whatever was rejected in between. Every data row is accounted for:
 * {@code rowsRead() == rowsPassed() + rowsRejected()} whenever {@link #next()} has returned or thrown.
 * Line numbers are 1-based physical lines of the file (a CSV header is line 1). Not thread-safe.
 */
public interface BatchReader extends AutoCloseable {

  /** How many rejections are kept with their reasons; further rejections are only counted. */
  int MAX_KEPT_REJECTIONS = 100;

  /** The file being read. */
  Path path();

  /** The columns every batch has, declared or inferred when the reader was opened. */
  Schema schema();

  /**
   * The next batch of up to the configured batch size, or {@code null} at the end of the file.
   *
   * @throws DataException on a bad row under {@link BadRowPolicy#FAIL}, on a structural error that makes
   *     the rest of the file unreadable, and when reading fails
   */
  Batch next();

  /** Data rows taken from the file so far (a header and blank lines are not rows). */
  long rowsRead();

  /** Rows handed on in batches so far. */
  long rowsPassed();

  /** Rows rejected so far: skipped under {@link BadRowPolicy#SKIP}, or the one that failed under FAIL. */
  long rowsRejected();

  /** The first {@link #MAX_KEPT_REJECTIONS} rejections, in file order. */
  List<Rejection> rejections();

  /** Releases the file; never throws. */
  @Override
  void close();
}
