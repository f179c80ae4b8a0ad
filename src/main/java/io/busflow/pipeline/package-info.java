/**
 * The pipeline: the stages' protocol ({@link io.busflow.pipeline.StageProtocol}, one record per message and reply),
 * the job coordinator and online serving; below it the loader ({@code pipeline.loader}), the generic stage actor that
 * is the preprocessor and the model ({@code pipeline.stage}) and shared plumbing ({@code pipeline.internal}). Uses
 * {@code actor}, {@code data}, {@code stage} and {@code config}; knows nothing of HTTP or clustering.
 */
package io.busflow.pipeline;
