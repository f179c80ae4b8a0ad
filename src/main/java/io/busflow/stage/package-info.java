/**
 * The stage SPI, pure Java (no Vert.x): a {@link io.busflow.stage.ModelType} parses and validates its own
 * spec ({@link io.busflow.stage.Estimator}), fits where it can, and loads a fitted
 * {@link io.busflow.data.model.Model} from its {@link io.busflow.stage.Artifact}. Types are found through
 * {@link java.util.ServiceLoader} ({@link io.busflow.stage.ModelTypes}); adding one is one class and one line
 * in {@code META-INF/services/io.busflow.stage.ModelType}. Imports {@code data} only.
 */
package io.busflow.stage;
