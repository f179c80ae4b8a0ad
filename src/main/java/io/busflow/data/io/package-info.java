/**
 * Reading and writing batches: CSV (through FastCSV) and JSON Lines (through jackson-core), schema
 * inference, bad-row policies, atomic output files and the data roots that confine user-given paths.
 * Pure Java like the rest of {@code io.busflow.data}: imports nothing from Vert.x. The public types are
 * {@link io.busflow.data.io.BatchReaders}, {@link io.busflow.data.io.BatchWriters} and what they return or
 * take; everything else is package-private.
 */
package io.busflow.data.io;
