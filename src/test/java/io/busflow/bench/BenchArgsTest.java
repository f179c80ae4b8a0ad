package io.busflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Benchmark options: pairs and {@code --name=value}; anything else is a usage error. */
class BenchArgsTest {

  @Test
  void pairsAndEqualsForms_areRead() {
    BenchArgs a = BenchArgs.parse(new String[] {"--rows", "1_000", "--workloads=target/x", "--rounds", "2"});
    assertEquals(1000, a.number("rows", 5));
    assertEquals("target/x", a.string("workloads", null));
    assertEquals(2, a.number("rounds", 5));
    assertEquals(7, a.number("inflight", 7));
  }

  @Test
  void aNameWithoutValue_orAStrayValue_isAUsageError() {
    assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"--rows"}));
    assertThrows(IllegalArgumentException.class, () -> BenchArgs.parse(new String[] {"1000"}));
  }

  @Test
  void w2Model_defaultsToLogistic_takesOnnx_andRefusesAnOtherValue_namingTheChoices() {
    assertEquals("logistic", W2Bench.model(BenchArgs.parse(new String[] {"--rounds", "3"})));
    assertEquals("onnx", W2Bench.model(BenchArgs.parse(new String[] {"--model", "onnx", "--duration", "5"})));
    assertEquals("onnx", W2Bench.model(BenchArgs.parse(new String[] {"--model=onnx"})));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> W2Bench.model(BenchArgs.parse(new String[] {"--model", "xgb"})));
    assertEquals("--model is 'xgb'; use one of logistic, onnx", e.getMessage());
  }

  @Test
  void w1Partitions_isANumberOrAuto_elseAUsageError() {
    assertEquals(1, W1Bench.partitions(BenchArgs.parse(new String[0])), "front to back by default");
    assertEquals(4, W1Bench.partitions(BenchArgs.parse(new String[] {"--partitions", "4"})));
    assertEquals("auto", W1Bench.partitions(BenchArgs.parse(new String[] {"--partitions=auto"})));
    for (String bad : new String[] {"0", "many", "5000"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> W1Bench.partitions(BenchArgs.parse(new String[] {"--partitions", bad})));
      assertEquals("--partitions is '" + bad + "' but must be a number from 1 to 1024 or auto", e.getMessage());
    }
  }
}
