package io.busflow.data.io;

import io.busflow.data.Batch;
import java.nio.file.Path;

/**
 * Writes batches to one output file, all or nothing. Open one with {@link BatchWriters#open}.
 *
 * <p>Guarantees: rows go to a temporary file in the target's directory; {@link #commit()} renames it onto
 * the target atomically, so the target path never holds a partial file; {@link #abort()}, and
 * {@link #close()} without a commit, delete the temporary file. Every batch must have the columns of the
 * first, in the same order. Errors are {@link DataException}s naming the path and the remedy. Not
 * thread-safe.
 */
public interface BatchWriter extends AutoCloseable {

  /** The file that {@link #commit()} creates or replaces. */
  Path target();

  /**
   * Appends the rows of {@code batch}.
   *
   * @throws DataException when writing fails (for example a full disk); the writer is then aborted
   * @throws IllegalArgumentException when the batch's columns differ from the first batch's
   */
  void write(Batch batch);

  /** Rows written so far. */
  long rowsWritten();

  /**
   * Flushes and atomically moves the written file onto {@link #target()}. A commit with no batch written
   * gives an empty file (a CSV file without header, since no column is known).
   *
   * @throws DataException when flushing or the move fails; the temporary file is then deleted
   */
  void commit();

  /** Drops everything written; the target is left as it was. Safe to call more than once. */
  void abort();

  /** Aborts unless committed. */
  @Override
  void close();
}
