/**
 * Plumbing shared by the pipeline stages and the coordinator, not part of busflow's public API: running
 * blocking work off the event loop, short-lived session actors, the per-node store of fitted state, the
 * wire form of protocol records, the parts of JSON requests the protocols share, and the mapping of data
 * errors to failure codes. Uses {@code actor}, {@code data} and {@code config}.
 */
package io.busflow.pipeline.internal;
