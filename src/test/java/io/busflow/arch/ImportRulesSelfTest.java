package io.busflow.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link ImportRulesTest} can fail: evaluated on the test-only classes that break the rules on purpose
 * (an {@code ImportRuleBreaker} in each package concerned), a rule reports exactly the breakers of its own rule.
 */
class ImportRulesSelfTest {

  private static final List<String> BREAKERS = List.of("io.busflow.data", "io.busflow.stage", "io.busflow.actor",
      "io.busflow.http", "io.busflow.pipeline.serving", "io.busflow.pipeline.coordinator",
      "io.busflow.pipeline.client", "io.busflow.arch.ImportRulesSelfTest$UsesBenchmarks");

  /** Breaks {@link ImportRulesTest#productUsesNoBenchmarks} on purpose. */
  @SuppressWarnings("unused")
  static final class UsesBenchmarks {
    private io.busflow.bench.Bench forbidden;
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("dataAndStageArePureJava", ImportRulesTest.dataAndStageArePureJava,
            Set.of(breaker("io.busflow.data"), breaker("io.busflow.stage"))),
        Arguments.of("actorKnowsNoPipeline", ImportRulesTest.actorKnowsNoPipeline, Set.of(breaker("io.busflow.actor"))),
        Arguments.of("httpUsesNoInternals", ImportRulesTest.httpUsesNoInternals, Set.of(breaker("io.busflow.http"))),
        Arguments.of("httpUsesNoCoordinatorOrStageInternals", ImportRulesTest.httpUsesNoCoordinatorOrStageInternals,
            Set.of(breaker("io.busflow.http"))),
        Arguments.of("servingIsNotBuiltOnBatchJobs", ImportRulesTest.servingIsNotBuiltOnBatchJobs,
            Set.of(breaker("io.busflow.pipeline.serving"))),
        Arguments.of("coordinatorKnowsNoServing", ImportRulesTest.coordinatorKnowsNoServing,
            Set.of(breaker("io.busflow.pipeline.coordinator"))),
        Arguments.of("sharedPartsKnowNeitherRole", ImportRulesTest.sharedPartsKnowNeitherRole,
            Set.of(breaker("io.busflow.pipeline.client"))),
        Arguments.of("productUsesNoBenchmarks", ImportRulesTest.productUsesNoBenchmarks,
            Set.of(UsesBenchmarks.class.getName())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rule_reportsExactlyItsBreakers(String name, ArchRule rule, Set<String> expected) throws Exception {
    List<String> details = rule.evaluate(breakers()).getFailureReport().getDetails();
    Set<String> caught = new TreeSet<>();
    for (String b : classNames()) {
      if (details.stream().anyMatch(d -> d.contains("<" + b + "."))) {
        caught.add(b);
      }
    }
    assertEquals(new TreeSet<>(expected), caught, name + " reported: " + details);
  }

  private static String breaker(String pkg) {
    return pkg + ".ImportRuleBreaker";
  }

  private static List<String> classNames() {
    return BREAKERS.stream().map(b -> b.contains("$") ? b : breaker(b)).toList();
  }

  private static JavaClasses breakers() throws ClassNotFoundException {
    Class<?>[] classes = new Class<?>[BREAKERS.size()];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = Class.forName(classNames().get(i));
    }
    return new ClassFileImporter().importClasses(classes);
  }
}
