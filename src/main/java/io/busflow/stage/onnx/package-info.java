/**
 * The {@code onnx} model type: a model trained elsewhere (scikit-learn, XGBoost, LightGBM, PyTorch …) and
 * exported to ONNX, run by ONNX Runtime on the CPU. Sessions are made once per model file content and shared
 * by every instance on the node ({@link io.busflow.stage.onnx.OnnxSessions}). Imports {@code data},
 * {@code stage} and {@code ai.onnxruntime}.
 */
package io.busflow.stage.onnx;
