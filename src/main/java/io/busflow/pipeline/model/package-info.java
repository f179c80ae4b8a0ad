/**
 * The model stage at {@link io.busflow.pipeline.model.ModelProtocol#ADDRESS}: fits the models of the
 * registered {@link io.busflow.stage.ModelType}s (logistic, linear, ridge) over a stream of feature batches,
 * loads any type's models (onnx ones from their files), predicts batches with the model's version on every prediction,
 * and saves and loads models as JSON that records their feature names. Fitting and predicting run on
 * worker threads. Uses {@code actor}, {@code data.model}, {@code stage} and {@code pipeline.internal}.
 */
package io.busflow.pipeline.model;
