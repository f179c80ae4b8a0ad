/**
 * The generic stage actor: {@link io.busflow.pipeline.stage.StageActor} answers
 * {@link io.busflow.pipeline.protocol.StageProtocol} as the preprocessor or as the model, the two differing only in a small
 * strategy ({@code StageKind}: how an artifact is built, named and applied, what fitting means), with one fit
 * session class for both. Uses {@code actor}, {@code data}, {@code stage}, {@code pipeline.protocol} and
 * {@code pipeline.internal}.
 */
package io.busflow.pipeline.stage;
