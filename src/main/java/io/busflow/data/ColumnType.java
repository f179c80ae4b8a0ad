package io.busflow.data;

/** The value type of a {@link Column}. */
public enum ColumnType {
  /** 64-bit floating point; a missing value is {@code NaN}. */
  NUMERIC,
  /** Text or categorical levels; a missing value is {@code null}. */
  STRING,
  /** true/false; missing is a third state. */
  BOOLEAN
}
