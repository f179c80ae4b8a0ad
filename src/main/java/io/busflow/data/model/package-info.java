/**
 * Models trained on a dense feature matrix (a batch of numeric columns, as a
 * {@link io.busflow.data.transform.Preprocessor} makes): logistic and linear regression with scikit-learn's
 * objectives, solved with EJML, and the W1 workload's given parameters. Every model has JSON-shaped state
 * and a content-derived version. Imports {@code io.busflow.data}, its {@code transform} package and EJML;
 * no Vert.x.
 */
package io.busflow.data.model;
