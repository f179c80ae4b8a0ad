package io.busflow.pipeline.client;

/** Breaks {@code ImportRulesTest.sharedPartsKnowNeitherRole} on purpose: {@code ImportRulesSelfTest} checks that the rule catches it. */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.busflow.pipeline.serving.Catalog forbidden;
}
