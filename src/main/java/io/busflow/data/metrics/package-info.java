/**
 * Evaluation metrics with scikit-learn's definitions: accuracy, macro precision/recall/F1, confusion
 * matrix, log loss, binary ROC AUC, RMSE, MAE and R²; and the numbers behind the report's plots: ROC and
 * precision-recall curves, calibration bins, per-class scores, regression residuals. Each is a record with
 * a JSON-shaped map. Imports only {@code io.busflow.data}; no Vert.x.
 */
package io.busflow.data.metrics;
