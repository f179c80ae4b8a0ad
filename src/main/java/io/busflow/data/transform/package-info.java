/**
 * Preprocessing in the manner of scikit-learn: imputation, scaling, one-hot and label encoding, column
 * selection, and the {@link io.busflow.data.transform.Preprocessor} that composes them into a dense
 * feature matrix. Steps are plugins: a {@link io.busflow.data.transform.StepType} parses its spec into a
 * {@link io.busflow.data.transform.Step}, whose {@link io.busflow.data.transform.Fitter} makes a fitted
 * {@link io.busflow.data.transform.Transformer}; types are found through {@link java.util.ServiceLoader}
 * ({@link io.busflow.data.transform.StepTypes}), busflow's own as any other. Fitting runs over a stream of
 * batches; every fitted object has a JSON-shaped state ({@link io.busflow.data.transform.StateMaps}).
 * {@link io.busflow.data.transform.SpecReader} reads specs with their paths, for steps and model types.
 * Imports only {@code io.busflow.data}; no Vert.x.
 */
package io.busflow.data.transform;
