/**
 * The pipeline, one package per role: the protocols and the records users send ({@code pipeline.protocol}), the
 * job coordinator ({@code pipeline.coordinator}), online serving ({@code pipeline.serving}), the client side of the
 * stages that both use ({@code pipeline.client}), the loader ({@code pipeline.loader}), the generic stage actor that
 * is the preprocessor and the model ({@code pipeline.stage}) and shared plumbing ({@code pipeline.internal}). Uses
 * {@code actor}, {@code data}, {@code stage} and {@code config}; knows nothing of HTTP or clustering.
 */
package io.busflow.pipeline;
