package io.busflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyNodeTest {

  @Test
  void batchJobsWithoutAPort_startTheirNodeEarly() {
    assertTrue(EarlyNode.wants("score", "conf/pipelines/churn-demo.json", "churn-20000.csv"));
    assertTrue(EarlyNode.wants("pipeline", "conf/pipelines/churn-demo.json", "--partitions", "2"));
    assertTrue(EarlyNode.wants("demo"));
  }

  @Test
  void otherCommandsAndPortsAndHelp_startNothingEarly() {
    assertFalse(EarlyNode.wants("score", "f.json", "s.csv", "--http"));
    assertFalse(EarlyNode.wants("score", "f.json", "s.csv", "--port", "0"));
    assertFalse(EarlyNode.wants("demo", "--port=8081"));
    assertFalse(EarlyNode.wants("score", "--help"));
    assertFalse(EarlyNode.wants("pipeline", "-h"));
    assertFalse(EarlyNode.wants("tutorial"));
    assertFalse(EarlyNode.wants("cluster-demo"));
    assertFalse(EarlyNode.wants("help", "score"));
    assertFalse(EarlyNode.wants());
  }
}
