/**
 * Evaluation metrics with scikit-learn's definitions: accuracy, macro precision/recall/F1, confusion
 * matrix, log loss, binary ROC AUC, RMSE, MAE and R², each report also as a JSON-shaped map. Imports only
 * {@code io.busflow.data}; no Vert.x.
 */
package io.busflow.data.metrics;
