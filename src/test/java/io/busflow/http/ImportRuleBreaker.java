package io.busflow.http;

/**
 * Breaks {@code ImportRulesTest.httpUsesNoInternals} and {@code httpUsesNoCoordinatorOrStageInternals} on purpose:
 * {@code ImportRulesSelfTest} checks that the rules catch it.
 */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.busflow.pipeline.internal.JsonShapes internal;
  private io.busflow.pipeline.client.StageClient stageClient;
}
