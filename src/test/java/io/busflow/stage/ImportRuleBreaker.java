package io.busflow.stage;

/** Breaks {@code ImportRulesTest.dataAndStageArePureJava} on purpose: {@code ImportRulesSelfTest} checks that the rule catches it. */
@SuppressWarnings("unused")
final class ImportRuleBreaker {
  private io.vertx.core.Vertx forbidden;
}
