/**
 * The pipeline stages (loader, preprocessor, model), their protocols and the job coordinator. Uses
 * {@code actor}, {@code data} and {@code config}; knows nothing of HTTP or clustering.
 */
package io.busflow.pipeline;
