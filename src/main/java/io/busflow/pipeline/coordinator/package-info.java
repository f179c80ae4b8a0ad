/**
 * The job coordinator at {@link io.busflow.pipeline.protocol.PipelineProtocol#ADDRESS}
 * ({@link io.busflow.pipeline.coordinator.PipelineActor}): runs a pipeline's train or score job — plans the passes
 * over the loader's cursors, splits, trains (with cross-validation), scores, evaluates, writes the output, its
 * parts and the report, resends requests lost with a stage node — and answers status and cancel; and the piece
 * runner ({@link io.busflow.pipeline.coordinator.PieceRunner}, deployed beside the loader), the half of a scoring
 * pass that carries its rows, so that the coordinator carries none. Only {@code PipelineActor} and
 * {@code PieceRunner} are public (deployed by the launcher). Uses {@code pipeline.protocol},
 * {@code pipeline.client}, {@code pipeline.loader}, {@code pipeline.internal}, {@code actor}, {@code data} and
 * {@code config}; never serving.
 */
package io.busflow.pipeline.coordinator;
