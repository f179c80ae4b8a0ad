package io.busflow.pipeline.serving;

/** Breaks {@code ImportRulesTest.servingIsNotBuiltOnBatchJobs} on purpose: {@code ImportRulesSelfTest} checks that the rule catches it. */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.busflow.pipeline.coordinator.PipelineActor forbidden;
}
