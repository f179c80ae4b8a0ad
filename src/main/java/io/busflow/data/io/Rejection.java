package io.busflow.data.io;

/**
 * A row a reader rejected under {@link BadRowPolicy#SKIP}.
 *
 * @param line the 1-based physical line where the row starts (the header is line 1)
 * @param reason what was wrong, naming the column and value when there is one
 */
public record Rejection(long line, String reason) {
}
