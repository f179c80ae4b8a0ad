/**
 * What users and busflow's own actors send each other: the stages' protocol
 * ({@link io.busflow.pipeline.protocol.StageProtocol}, one record per message and reply) and the coordinator's
 * ({@link io.busflow.pipeline.protocol.PipelineProtocol}, with its client {@link io.busflow.pipeline.protocol.PipelineClient}),
 * a job's report ({@link io.busflow.pipeline.protocol.JobReport}), their codecs, the JSON forms of batches and
 * predictions, and the pipeline definition a pipeline file or a run
 * request holds. Public API. Uses {@code actor}, {@code config}, {@code data}, {@code stage}, {@code pipeline.loader}'s
 * read options and {@code pipeline.internal}; never the coordinator or serving.
 */
package io.busflow.pipeline.protocol;
