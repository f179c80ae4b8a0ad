/**
 * Online serving: predictions with a pipeline's saved preprocessor and model
 * ({@link io.busflow.pipeline.serving.PredictionService}, what the predict route and users' verticles call) and the
 * catalog of what a node serves ({@link io.busflow.pipeline.serving.Catalog}). Asks the same stage actors as batch
 * jobs, through {@code pipeline.client}; never uses the coordinator's batch-job classes. Uses
 * {@code pipeline.protocol}, {@code pipeline.client}, {@code pipeline.stage}'s artifact loading,
 * {@code pipeline.internal}, {@code actor}, {@code data} and {@code config}.
 */
package io.busflow.pipeline.serving;
