package io.busflow.pipeline.coordinator;

/** Breaks {@code ImportRulesTest.coordinatorKnowsNoServing} on purpose: {@code ImportRulesSelfTest} checks that the rule catches it. */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.busflow.pipeline.serving.PredictionService forbidden;
}
