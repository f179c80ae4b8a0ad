/**
 * The preprocessor stage at {@link io.busflow.pipeline.preprocess.PreprocessProtocol#ADDRESS}:
 * scikit-learn style fitting over a stream of batches, transforming batches into feature batches, and
 * fitted state as JSON that is saved, loaded and shared. Fitting and transforming run on worker threads.
 * Uses {@code actor}, {@code data.transform} and {@code pipeline.internal}.
 */
package io.busflow.pipeline.preprocess;
