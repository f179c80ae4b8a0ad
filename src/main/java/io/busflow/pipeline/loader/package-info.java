/**
 * The loader stage at {@link io.busflow.pipeline.loader.LoaderProtocol#ADDRESS}: reads CSV and JSON Lines
 * files inside the configured data roots, as a stream of batches through a cursor or whole for small
 * files. Reading runs on worker threads. Uses {@code actor}, {@code data.io} and {@code pipeline.internal}.
 */
package io.busflow.pipeline.loader;
