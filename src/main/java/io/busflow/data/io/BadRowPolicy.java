package io.busflow.data.io;

/** What a reader does with a row it cannot read. */
public enum BadRowPolicy {
  /** Throw a {@link DataException} naming the file, line, column, value and remedy. The default. */
  FAIL,
  /**
   * Reject the row: it is counted in {@link BatchReader#rowsRejected()} and the first
   * {@link BatchReader#MAX_KEPT_REJECTIONS} are kept with their line and reason. Structural errors that
   * make the rest of the file unreadable still fail.
   */
  SKIP
}
