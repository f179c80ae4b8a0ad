package io.busflow.actor;

/** Breaks {@code ImportRulesTest.actorKnowsNoPipeline} on purpose: {@code ImportRulesSelfTest} checks that the rule catches it. */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.busflow.pipeline.protocol.StageProtocol forbidden;
}
