/**
 * Pure-Java data work: the columnar {@link io.busflow.data.Batch}, its binary form, CSV and JSON Lines
 * reading and writing, transformers, models and metrics. Imports nothing from Vert.x, so every class here
 * is usable and testable without an event loop.
 */
package io.busflow.data;
