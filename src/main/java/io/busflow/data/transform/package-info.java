/**
 * Preprocessing in the manner of scikit-learn: imputation, scaling, one-hot and label encoding, column
 * selection, and the {@link io.busflow.data.transform.Preprocessor} that composes them into a dense
 * feature matrix. Fitting runs over a stream of batches; every fitted object has a JSON-shaped state
 * ({@link io.busflow.data.transform.StateMaps}). Imports only {@code io.busflow.data}; no Vert.x.
 */
package io.busflow.data.transform;
