package io.busflow.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house's one-way dependencies (STYLE.md, "The house"), checked on the product classes: a rule broken
 * by a new import fails the build naming the class and the import.
 */
@AnalyzeClasses(packages = "io.busflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ImportRulesTest {

  @ArchTest
  static final ArchRule dataAndStageArePureJava = noClasses()
      .that().resideInAnyPackage("io.busflow.data..", "io.busflow.stage..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx..")
      .because("data and stage are pure Java: usable without Vert.x, tested with plain JUnit");

  @ArchTest
  static final ArchRule actorKnowsNoPipeline = noClasses()
      .that().resideInAPackage("io.busflow.actor..")
      .should().dependOnClassesThat().resideInAPackage("io.busflow.pipeline..")
      .because("the actor kernel knows nothing about data science");

  @ArchTest
  static final ArchRule httpUsesNoInternals = noClasses()
      .that().resideInAPackage("io.busflow.http..")
      .should().dependOnClassesThat().resideInAPackage("io.busflow..internal..")
      .because("http is an adapter: it talks to stages through their protocols and reads the actor system"
          + " through its public view (io.busflow.actor.NodeActors)");

  @ArchTest
  static final ArchRule httpUsesNoCoordinatorOrStageInternals = noClasses()
      .that().resideInAPackage("io.busflow.http..")
      .should().dependOnClassesThat().resideInAnyPackage("io.busflow.pipeline.coordinator..",
          "io.busflow.pipeline.client..", "io.busflow.pipeline.stage..")
      .because("http reaches the pipeline through its protocols and public clients (pipeline.protocol, the"
          + " serving classes), never through the coordinator's, the stage actor's or the stage client's insides");

  @ArchTest
  static final ArchRule servingIsNotBuiltOnBatchJobs = noClasses()
      .that().resideInAPackage("io.busflow.pipeline.serving..")
      .should().dependOnClassesThat().resideInAPackage("io.busflow.pipeline.coordinator..")
      .because("online serving asks the stages through pipeline.client, not through the batch job's classes");

  @ArchTest
  static final ArchRule coordinatorKnowsNoServing = noClasses()
      .that().resideInAPackage("io.busflow.pipeline.coordinator..")
      .should().dependOnClassesThat().resideInAPackage("io.busflow.pipeline.serving..")
      .because("batch jobs and online serving are apart; what both use lives in pipeline.client or pipeline.protocol");

  @ArchTest
  static final ArchRule sharedPartsKnowNeitherRole = noClasses()
      .that().resideInAnyPackage("io.busflow.pipeline.protocol..", "io.busflow.pipeline.client..",
          "io.busflow.pipeline.stage..", "io.busflow.pipeline.loader..", "io.busflow.pipeline.internal..")
      .should().dependOnClassesThat().resideInAnyPackage("io.busflow.pipeline.coordinator..",
          "io.busflow.pipeline.serving..")
      .because("the protocols, the stage client, the stage actors and the plumbing sit below both the coordinator"
          + " and online serving");

  /**
   * The benchmarks (src/bench/java, busflow-bench.jar) use the product; the product never uses them. Compiled with the
   * tests, they are not among the classes analysed here, but a product class that named one would be caught.
   */
  @ArchTest
  static final ArchRule productUsesNoBenchmarks = noClasses()
      .that().resideOutsideOfPackage("io.busflow.bench..")
      .should().dependOnClassesThat().resideInAPackage("io.busflow.bench..")
      .because("benchmarks live outside the product jar (STYLE.md, \"The house\")");
}
