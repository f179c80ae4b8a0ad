/**
 * The client side of the stages, shared by the job coordinator and online serving: asking the preprocessor and the
 * model with a fitted pair named by reference ({@link io.busflow.pipeline.client.StageClient}), users' actor steps,
 * reading a pipeline's file and its saved states. A job resends through {@link io.busflow.pipeline.client.Resends};
 * online predictions ask once. Not busflow's public API: public only for those two packages. Uses
 * {@code pipeline.protocol}, {@code pipeline.internal}, {@code actor} and {@code data}; never the coordinator or serving.
 */
package io.busflow.pipeline.client;
