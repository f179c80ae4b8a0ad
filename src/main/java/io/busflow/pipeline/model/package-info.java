/**
 * The model stage at {@link io.busflow.pipeline.model.ModelProtocol#ADDRESS}: fits logistic and linear
 * models over a stream of feature batches, predicts batches with the model's version on every prediction,
 * and saves and loads models as JSON that records their feature names. Fitting and predicting run on
 * worker threads. Uses {@code actor}, {@code data.model} and {@code pipeline.internal}.
 */
package io.busflow.pipeline.model;
