package io.busflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The partition counts and cluster sizes that {@code bench scale} measures. */
class ScaleBenchTest {

  @Test
  void partitionSteps_arePowersOfTwo_upToTheCores_andTheCoresThemselves() {
    assertEquals(List.of(1), ScaleBench.partitionSteps(1));
    assertEquals(List.of(1, 2), ScaleBench.partitionSteps(2));
    assertEquals(List.of(1, 2, 4, 6), ScaleBench.partitionSteps(6));
    assertEquals(List.of(1, 2, 4, 8, 16), ScaleBench.partitionSteps(16));
  }

  @Test
  void clusterSteps_areOneTwoFour_upToMaxK() {
    assertEquals(List.of(1, 2, 4), ScaleBench.clusterSteps(4));
    assertEquals(List.of(1, 2), ScaleBench.clusterSteps(3));
    assertEquals(List.of(), ScaleBench.clusterSteps(0));
  }
}
