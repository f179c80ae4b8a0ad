package io.busflow.data.model;

import io.busflow.data.Batch;

/**
 * What a model made of one feature batch, and which model made it.
 *
 * @param modelVersion the {@link Model#version()} of the model that predicted
 * @param batch        the id column first when one was asked for, then {@code prediction} (the class, as a
 *                     numeric column for numeric classes and a text column for text classes, or the
 *                     regression value), then for classifiers one {@code p_<class>} probability column per
 *                     class in class order (for example {@code p_0}, {@code p_1}); same index, first row
 *                     and row order as the features
 */
public record Predictions(String modelVersion, Batch batch) {

  /** Name of the prediction column. */
  public static final String PREDICTION = "prediction";

  /** Name of the probability column of a class printed as {@code classText}. */
  public static String probabilityColumn(String classText) {
    return "p_" + classText;
  }
}
